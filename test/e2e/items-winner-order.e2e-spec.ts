import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Version, VersionKey } from '../../src/core/version';
import { compareVersions } from '../../src/core/winner';
import { ItemsRepository } from '../../src/items/items.repository';
import { relatedVersionArb, versionArb, windowArb } from '../factories/versions';
import { TestNode, startNode } from '../support/node';

/** A storable version of `id` with `key`: the schema keeps times in 0..9999 AD. */
function versionOf(id: string, key: VersionKey): Version {
  return { id, data: {}, deleted: false, replaces: null, ...key };
}

const keyOf = ({ updatedAtMs, priority, origin, fingerprint }: VersionKey): VersionKey => ({
  updatedAtMs,
  priority,
  origin,
  fingerprint,
});

/**
 * The write statement decides in SQL (the upsert's WHERE guard on the key as
 * a row value) what `compareVersions` decides in TypeScript. The two must be
 * one order, or nodes that apply the same versions disagree on the winner.
 */
describe('the write statement orders versions as compareVersions does', () => {
  let node: TestNode;
  let items: ItemsRepository;

  beforeAll(async () => {
    node = await startNode({ id: 'a' });
    items = node.app.get(ItemsRepository);
  });
  afterAll(() => node?.stop());

  /** A conflict window and two versions of one item compared under it. */
  const pairArb = windowArb.chain((windowMs) =>
    versionArb(windowMs).chain((first) => relatedVersionArb(first, windowMs).map((second) => ({ windowMs, first, second }))),
  );

  it('applies the second of two versions exactly when compareVersions ranks it higher, and keeps the winner', async () => {
    await fc.assert(
      fc.asyncProperty(pairArb, async ({ windowMs, first, second }) => {
        fc.pre(first.updatedAtMs >= 0 && second.updatedAtMs >= 0);
        const id = randomUUID();
        const apply = (key: VersionKey) =>
          items.transaction(async (tx) => (await items.applyVersions(tx, [versionOf(id, key)], null, windowMs)).get(id));
        expect(await apply(first)).toBe('applied');
        const order = compareVersions(second, first, windowMs);
        expect({ outcome: await apply(second), order: Math.sign(order) }).toEqual({
          outcome: order > 0 ? 'applied' : order === 0 ? 'unchanged' : 'superseded',
          order: Math.sign(order),
        });
        const stored = await items.findVersion(id);
        expect(keyOf(stored!)).toEqual(keyOf(order > 0 ? second : first));
      }),
      { numRuns: 300 },
    );
  });

  it('replaces a row held locked exactly when compareVersions ranks the version higher, and never inserts one', async () => {
    await fc.assert(
      fc.asyncProperty(pairArb, async ({ windowMs, first, second }) => {
        fc.pre(first.updatedAtMs >= 0 && second.updatedAtMs >= 0);
        const [id, absent] = [randomUUID(), randomUUID()];
        await items.transaction((tx) => items.applyVersions(tx, [versionOf(id, first)], null, windowMs));
        const outcomes = await items.transaction(async (tx) => {
          await items.lockVersions(tx, [id]);
          return items.replaceVersions(tx, [versionOf(id, second), versionOf(absent, second)], 'b', windowMs);
        });
        const order = compareVersions(second, first, windowMs);
        expect(outcomes.get(id)).toBe(order > 0 ? 'applied' : order === 0 ? 'unchanged' : 'superseded');
        expect(outcomes.get(absent)).toBe('superseded');
        expect(keyOf((await items.findVersion(id))!)).toEqual(keyOf(order > 0 ? second : first));
        expect(await items.findVersion(absent)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
