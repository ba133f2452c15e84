import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { fingerprintOf } from '../../src/core/fingerprint';
import type { Version } from '../../src/core/version';
import { ItemsRepository } from '../../src/items/items.repository';
import { TestNode, startNode } from '../support/node';

/** Text that needs escaping on its way into the database: backslashes, quotes, controls, tabs, non-ASCII. */
const awkwardText = fc.string({
  unit: fc.constantFrom('a', 'Z', '\\', '"', '\t', '\n', '\r', '\u0001', '/', 'é', '€', '😀', ' ', '\\N', '{', '}'),
  maxLength: 12,
});
const jsonLeaf = fc.oneof(
  awkwardText,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const dataArb = fc.dictionary(
  awkwardText,
  fc.oneof(jsonLeaf, fc.array(jsonLeaf, { maxLength: 3 }), fc.dictionary(awkwardText, jsonLeaf, { maxKeys: 3 })),
  {
    maxKeys: 5,
  },
);

const versionArb = fc.record({
  data: fc.option(dataArb, { nil: null }),
  updatedAtMs: fc.integer({ min: 0, max: 253402300799999 }),
  priority: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  origin: fc.stringMatching(/^[a-z0-9_-]{1,32}$/),
  replaces: fc.option(fc.stringMatching(/^[0-9a-f]{40}$/), { nil: null }),
});

/** A storable version of a fresh id; JSON round trips turn -0 into 0, as the database does. */
function fresh(v: Omit<Version, 'id' | 'deleted' | 'fingerprint'>): Version {
  const data = v.data && (JSON.parse(JSON.stringify(v.data)) as Record<string, unknown>);
  return { id: randomUUID(), ...v, data, deleted: data === null, fingerprint: fingerprintOf(data, data === null) };
}

/**
 * Versions of items a node does not hold yet (an initial sync, a bulk load
 * of new ids) are inserted by one COPY: stored exactly as given, at log
 * positions of the inserting transaction, with their source; and an id that
 * exists by the time they arrive is decided like any other, never overwritten.
 */
describe('inserting versions of items this node lacks', () => {
  let node: TestNode;
  let items: ItemsRepository;
  let db: DataSource;

  beforeAll(async () => {
    node = await startNode({ id: 'a' });
    items = node.app.get(ItemsRepository);
    db = node.app.get(DataSource);
  });
  afterAll(() => node?.stop());

  it('stores each version exactly as given, at positions of its transaction, from its source', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(versionArb, { minLength: 1, maxLength: 20 }),
        fc.constantFrom(null, 'b'),
        async (given, source) => {
          const versions = given.map(fresh);
          const ids = versions.map((v) => v.id);
          const { outcomes, ownXid } = await items.transaction(async (tx) => ({
            outcomes: await items.applyVersions(tx, versions, source, 0, { overwrite: false }),
            ownXid: ((await tx.query(`SELECT pg_current_xact_id()::text AS xid`)) as { xid: string }[])[0].xid,
          }));
          expect([...outcomes.values()]).toEqual(versions.map(() => 'applied'));
          const stored = new Map((await items.findVersions(ids)).map((v) => [v.id, v]));
          for (const v of versions) expect(stored.get(v.id)).toEqual({ ...v });
          const rows: { source: string | null; pos_xid: string }[] = await db.query(
            `SELECT source, pos_xid::text FROM items WHERE id = ANY($1::uuid[])`,
            [ids],
          );
          expect(rows).toEqual(versions.map(() => ({ source, pos_xid: ownXid })));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('inserts the others and leaves an item created meanwhile as it was', async () => {
    const [before, other, later] = [{ n: 1 }, { n: 2 }, { n: 3 }].map((data) =>
      fresh({ data, updatedAtMs: Date.UTC(2026, 0, 1), priority: 0, origin: 'a', replaces: null }),
    );
    await items.transaction((tx) => items.applyVersions(tx, [before], null, 0));
    // A version of the same id that loses to the stored one, arriving as if that row were still absent.
    const stale = {
      ...fresh({ data: { n: 4 }, updatedAtMs: Date.UTC(2025, 0, 1), priority: 0, origin: 'b', replaces: null }),
      id: before.id,
    };
    const outcomes = await items.transaction((tx) =>
      items.applyVersions(tx, [other, stale, later], 'b', 0, { overwrite: false }),
    );
    expect(Object.fromEntries(outcomes)).toEqual({ [other.id]: 'applied', [before.id]: 'superseded', [later.id]: 'applied' });
    const stored = await items.findVersions([before.id, other.id, later.id]);
    expect(new Map(stored.map((v) => [v.id, v.data]))).toEqual(
      new Map([
        [before.id, before.data],
        [other.id, other.data],
        [later.id, later.data],
      ]),
    );
  });
});
