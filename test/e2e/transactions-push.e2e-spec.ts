import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fingerprintOf } from '../../src/core/fingerprint';
import { PushEntryBody, aPushEntry, anItem, someData } from '../factories/items';
import { eventually, expectError } from '../support/http';
import { logEnd, readLogPage, readLogToEnd } from '../support/log';
import { TestNode, startNode } from '../support/node';

const WINDOW_MS = 60_000;
/** The first millisecond of a conflict window. */
const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(ms).toISOString();

describe('PUT /items/transactions', () => {
  let node: TestNode;
  let other: TestNode;
  const api = () => request(node.url);
  const push = (entries: unknown[], extra: Record<string, unknown> = {}) =>
    api()
      .put('/items/transactions')
      .send({ node: 'b', entries, ...extra });

  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { NODE_PRIORITY: '1', CONFLICT_WINDOW_MS: String(WINDOW_MS) } });
    other = await startNode({ id: 'b' });
  });
  afterAll(async () => {
    await node?.stop();
    await other?.stop();
  });

  async function stored(id: string) {
    return (await api().get(`/items/${id}`)).body;
  }

  describe('counts', () => {
    it('applies a newer version, leaves the same one unchanged and an older one superseded', async () => {
      const local = (await api().post('/items').send(anItem()).expect(201)).body;
      const newer = aPushEntry({ itemId: local.id, updatedAt: at(Date.parse(local.updatedAt) + 10 * WINDOW_MS) });
      expect((await push([newer]).expect(200)).body).toEqual({ applied: 1, unchanged: 0, superseded: 0 });
      expect(await stored(local.id)).toMatchObject({ data: newer.data, origin: 'b', updatedAt: newer.updatedAt });

      expect((await push([newer]).expect(200)).body).toEqual({ applied: 0, unchanged: 1, superseded: 0 });
      const older = aPushEntry({ itemId: local.id, updatedAt: at(Date.parse(local.updatedAt) - 10 * WINDOW_MS) });
      expect((await push([older]).expect(200)).body).toEqual({ applied: 0, unchanged: 0, superseded: 1 });
      expect(await stored(local.id)).toMatchObject({ data: newer.data, fingerprint: newer.fingerprint });
    });

    it('counts each entry of a mixed batch', async () => {
      const kept = aPushEntry({ updatedAt: at(T0 + 5 * WINDOW_MS) });
      const beaten = aPushEntry({ updatedAt: at(T0 + 5 * WINDOW_MS) });
      await push([kept, beaten]).expect(200);
      const older = aPushEntry({ itemId: beaten.itemId, updatedAt: at(T0) });
      const res = await push([aPushEntry(), kept, older]).expect(200);
      expect(res.body).toEqual({ applied: 1, unchanged: 1, superseded: 1 });
      expect((await stored(beaten.itemId)).fingerprint).toBe(beaten.fingerprint);
    });

    it('stores a pushed tombstone: the item reads as 410', async () => {
      const local = (await api().post('/items').send(anItem()).expect(201)).body;
      const tombstone = aPushEntry({ itemId: local.id, deleted: true, updatedAt: at(Date.now() + 10 * WINDOW_MS) });
      expect(tombstone.fingerprint).toBe(fingerprintOf(null, true));
      expect((await push([tombstone]).expect(200)).body.applied).toBe(1);
      const gone = await api().get(`/items/${local.id}`).expect(410);
      expect(gone.body).toMatchObject({ id: local.id, deleted: true, data: null, origin: 'b', updatedAt: tombstone.updatedAt });
    });

    it('stores a tombstone for an item never seen, with data left out', async () => {
      const { data: _, ...tombstone } = aPushEntry({ deleted: true });
      expect((await push([tombstone]).expect(200)).body.applied).toBe(1);
      await api().get(`/items/${tombstone.itemId}`).expect(410);
    });
  });

  describe('the winner rule on the node', () => {
    /** Pushes `entries` one by one and returns the outcome of each. */
    async function outcomes(...entries: PushEntryBody[]): Promise<string[]> {
      const results: string[] = [];
      for (const entry of entries) {
        const counts = (await push([entry]).expect(200)).body;
        results.push(Object.keys(counts).find((key) => counts[key] === 1)!);
      }
      return results;
    }

    it('lets higher priority win inside the window, and a later window win over priority', async () => {
      const id = randomUUID();
      const high = aPushEntry({ itemId: id, priority: 5, updatedAt: at(T0 + 1000), origin: 'c' });
      const laterLow = aPushEntry({ itemId: id, priority: 0, updatedAt: at(T0 + WINDOW_MS - 1), origin: 'z' });
      const nextWindow = aPushEntry({ itemId: id, priority: 0, updatedAt: at(T0 + WINDOW_MS), origin: 'b' });
      expect(await outcomes(high, laterLow, nextWindow)).toEqual(['applied', 'superseded', 'applied']);
      expect((await stored(id)).fingerprint).toBe(nextWindow.fingerprint);
    });

    it('breaks ties by updatedAt, then origin, then fingerprint', async () => {
      const id = randomUUID();
      const t10 = aPushEntry({ itemId: id, updatedAt: at(T0 + 10), origin: 'b' });
      const t20 = aPushEntry({ itemId: id, updatedAt: at(T0 + 20), origin: 'b' });
      const t15 = aPushEntry({ itemId: id, updatedAt: at(T0 + 15), origin: 'z' });
      const t20c = aPushEntry({ itemId: id, updatedAt: at(T0 + 20), origin: 'c' });
      const t20a = aPushEntry({ itemId: id, updatedAt: at(T0 + 20), origin: 'a' });
      expect(await outcomes(t10, t20, t15, t20c, t20a)).toEqual(['applied', 'applied', 'superseded', 'applied', 'superseded']);

      const [low, high] = [aPushEntry({ itemId: id }), aPushEntry({ itemId: id })]
        .map((entry) => ({ ...entry, updatedAt: at(T0 + 20), origin: 'd' }))
        .sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : 1));
      expect(await outcomes(high, low)).toEqual(['applied', 'superseded']);
      expect((await stored(id)).fingerprint).toBe(high.fingerprint);
    });

    it('lets a local write supersede a higher-priority pushed version', async () => {
      const pushed = aPushEntry({ priority: 100, updatedAt: at(Date.now()) });
      await push([pushed]).expect(200);
      const data = someData();
      const res = await api().put(`/items/${pushed.itemId}`).send({ data }).expect(200);
      expect(res.body).toMatchObject({ data, origin: 'a', priority: 1 });
      const nextWindow = (Math.floor(Date.parse(pushed.updatedAt) / WINDOW_MS) + 1) * WINDOW_MS;
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(nextWindow);
      expect(await stored(pushed.itemId)).toEqual(res.body);
    });
  });

  describe('refusals, where nothing of the batch is applied', () => {
    /** A batch of a valid entry (`first`) and one bad one. */
    const withBad = (bad: unknown) => (first: PushEntryBody) => ({ node: 'b', entries: [first, bad] });
    const otherFingerprint = fingerprintOf({ other: true }, false);
    it.each<[string, (first: PushEntryBody) => Record<string, unknown>, RegExp]>([
      ['missing node', (first) => ({ entries: [first] }), /node must be the sending node id/],
      ['a bad node id', (first) => ({ node: 'Node B', entries: [first] }), /node must be the sending node id/],
      ['entries not an array', () => ({ node: 'b', entries: {} }), /entries must be an array/],
      ['a bad itemId', withBad(aPushEntry({ itemId: 'nope' })), /itemId must be a UUID/],
      ['updatedAt not a time', withBad(aPushEntry({ updatedAt: 'yesterday' })), /updatedAt must be an ISO-8601/],
      ['updatedAt on February 31', withBad(aPushEntry({ updatedAt: '2026-02-31T00:00:00.000Z' })), /updatedAt 2026-02-31/],
      ['updatedAt before 1970', withBad(aPushEntry({ updatedAt: '1969-12-31T23:59:59.999Z' })), /updatedAt/],
      ['a fingerprint not 40 hex', withBad(aPushEntry({ fingerprint: 'abc123' })), /fingerprint must be 40 lowercase hex/],
      ['an upper-case fingerprint', withBad(aPushEntry({ fingerprint: 'A'.repeat(40) })), /fingerprint must be 40 lowercase hex/],
      ['missing deleted', withBad({ ...aPushEntry(), deleted: undefined }), /deleted must be a boolean/],
      ['a bad origin', withBad(aPushEntry({ origin: 'B!' })), /origin must be a node id/],
      ['priority not an integer', withBad({ ...aPushEntry(), priority: 'high' }), /priority must be an integer/],
      ['an unknown entry property', withBad({ ...aPushEntry(), colour: 'red' }), /colour should not exist/],
      ['a mismatched fingerprint', withBad(aPushEntry({ fingerprint: otherFingerprint })), /does not match its content/],
      ['a tombstone with data', withBad({ ...aPushEntry({ deleted: true }), data: { x: 1 } }), /tombstone carries data null/],
      ['a live entry without data', withBad(aPushEntry({ data: null })), /data must be a JSON object/],
      ['\\u0000 in data', withBad(aPushEntry({ data: { s: 'a\u0000' } })), /contains \\u0000/],
      ['a duplicate itemId', (first) => withBad(aPushEntry({ itemId: first.itemId }))(first), /appears twice/],
      ['a basis that is no cursor', (first) => ({ node: 'b', basis: 'garbage', entries: [first] }), /basis is not a cursor/],
    ])('is 400 for %s', async (_, body, message) => {
      const first = aPushEntry();
      expectError(await api().put('/items/transactions').send(body(first)), 400, message);
      expectError(await api().get(`/items/${first.itemId}`), 404, /not found/);
    });

    it('is 413 over 1000 entries, and 200 for exactly 1000', async () => {
      const entries = Array.from({ length: 1001 }, () => aPushEntry({ data: { n: 1 } }));
      expectError(await push(entries), 413, /1001 entries; at most 1000/);
      expectError(await api().get(`/items/${entries[0].itemId}`), 404, /not found/);
      expect((await push(entries.slice(1)).expect(200)).body).toEqual({ applied: 1000, unchanged: 0, superseded: 0 });
    });

    it('is 413 for a body over 16 MiB', async () => {
      const entry = aPushEntry({ data: { blob: 'x'.repeat(17 * 1024 * 1024) } });
      const body = JSON.stringify({ node: 'b', entries: [entry] });
      const res = await api().put('/items/transactions').set('Content-Type', 'application/json').send(body);
      expectError(res, 413, /request body is larger than/);
      expectError(await api().get(`/items/${entry.itemId}`), 404, /not found/);
    });

    it('is 413 for an entry whose data is over 1 MiB', async () => {
      const entry = aPushEntry({ data: { blob: 'x'.repeat(1024 * 1024) } });
      expectError(await push([aPushEntry(), entry]), 413, /limit is 1048576/);
      expectError(await api().get(`/items/${entry.itemId}`), 404, /not found/);
    });
  });

  describe('basis (optimistic lock)', () => {
    it('is 409 naming the item changed after the basis, applying nothing; 200 with a basis read after', async () => {
      const local = (await api().post('/items').send(anItem()).expect(201)).body;
      const basis = await logEnd(node.url);
      const changed = (await api().put(`/items/${local.id}`).send({ data: someData() }).expect(200)).body;
      const entries = [aPushEntry({ itemId: local.id, updatedAt: at(Date.now() + 10 * WINDOW_MS) }), aPushEntry()];

      const res = await push(entries, { basis });
      expectError(res, 409, /changed on a after basis/);
      expect(res.body.conflicts).toEqual([local.id]);
      expect(await stored(local.id)).toEqual(changed);
      expectError(await api().get(`/items/${entries[1].itemId}`), 404, /not found/);

      const fresh = await eventually(async () => {
        const read = await readLogToEnd(node.url, { after: basis });
        expect(read.entries.map((e) => e.fingerprint)).toContain(changed.fingerprint);
        return read.cursor;
      });
      expect((await push(entries, { basis: fresh }).expect(200)).body).toEqual({ applied: 2, unchanged: 0, superseded: 0 });
    });

    it('is 400 for a basis issued by another node, applying nothing', async () => {
      const foreign = (await readLogPage(other.url)).cursor;
      const entry = aPushEntry();
      expectError(await push([entry], { basis: foreign }), 400, /basis was issued by another node/);
      expectError(await api().get(`/items/${entry.itemId}`), 404, /not found/);
    });
  });
});
