import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ItemView } from '../../src/items/item.view';
import { Cluster, itemStates, startCluster } from '../support/cluster';
import { bearer } from '../support/http';
import { readLogPage } from '../support/log';

const KIB = 1024;
const BOUND = 8 * 1024 * KIB;
/** Items of ~900 KiB: 8 MiB holds 9 of them. */
const BIG = 900 * KIB;
const COUNT = 12;
const TOKEN = 'byte-bounds-test-token-of-32-chars-or-more';
const AUTH = bearer(TOKEN);

const dataBytes = (items: { data?: unknown }[]) =>
  items.reduce((sum, item) => sum + Buffer.byteLength(JSON.stringify(item.data)), 0);

describe('answers bounded in bytes: 8 MiB of data, at least one item, the rest for the next call', () => {
  let cluster: Cluster;
  let ids: string[];
  const a = {
    get: (path: string) => request(cluster.nodes.a.url).get(path).set(AUTH),
    post: (path: string) => request(cluster.nodes.a.url).post(path).set(AUTH),
  };

  beforeAll(async () => {
    cluster = await startCluster(['a', 'b'], { env: { a: { API_TOKEN: TOKEN } } });
    const items = Array.from({ length: COUNT }, (_, n) => ({
      id: randomUUID(),
      data: { n, s: randomBytes(BIG / 2).toString('hex') },
    }));
    const res = await a.post('/items/bulk').send({ items }).expect(200);
    expect(res.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    ids = items.map((item) => item.id).sort();
  });
  afterAll(() => cluster?.stop());

  it('GET /items/transactions?include=data holds at most 8 MiB and says hasMore; the cursor continues', async () => {
    const first = await readLogPage(cluster.nodes.a.url, { limit: 100, include: 'data' }, AUTH);
    expect(first.entries).toHaveLength(9);
    expect(first.hasMore).toBe(true);
    expect(dataBytes(first.entries)).toBeLessThanOrEqual(BOUND);
    const second = await readLogPage(cluster.nodes.a.url, { limit: 100, include: 'data', after: first.cursor }, AUTH);
    expect(second.entries).toHaveLength(COUNT - 9);
    expect(second.hasMore).toBe(false);
    expect([...first.entries, ...second.entries].map((e) => e.itemId).sort()).toEqual(ids);
    const keysOnly = await readLogPage(cluster.nodes.a.url, { limit: 100 }, AUTH);
    expect({ entries: keysOnly.entries.length, hasMore: keysOnly.hasMore }).toEqual({ entries: COUNT, hasMore: false });
  });

  it('POST /items/batch answers at most 8 MiB of data and lists the rest in missing', async () => {
    const unknown = randomUUID();
    const first = (
      await a
        .post('/items/batch')
        .send({ ids: [...ids, unknown] })
        .expect(200)
    ).body;
    expect(first.items).toHaveLength(9);
    expect(dataBytes(first.items)).toBeLessThanOrEqual(BOUND);
    expect(first.missing).toHaveLength(COUNT - 9);
    expect([...first.items.map((item: ItemView) => item.id), ...first.missing].sort()).toEqual(ids);
    const second = (await a.post('/items/batch').send({ ids: first.missing }).expect(200)).body;
    expect(second.items.map((item: ItemView) => item.id).sort()).toEqual([...first.missing].sort());
    expect(second.missing).toEqual([]);
    const keysOnly = (await a.post('/items/batch').send({ ids, withData: false }).expect(200)).body;
    expect({ items: keysOnly.items.length, missing: keysOnly.missing }).toEqual({ items: COUNT, missing: [] });
  });

  it('GET /items pages hold at most 8 MiB of data; next continues', async () => {
    const first = (await a.get('/items').query({ limit: 100 }).expect(200)).body;
    expect(first.items).toHaveLength(9);
    expect(dataBytes(first.items)).toBeLessThanOrEqual(BOUND);
    expect(typeof first.next).toBe('string');
    const second = (await a.get('/items').query({ limit: 100, after: first.next }).expect(200)).body;
    expect(second.next).toBeNull();
    expect([...first.items, ...second.items].map((item: ItemView) => item.id)).toEqual(ids);
  });

  it('a peer pulls every item, asking again for those a bounded answer left out', async () => {
    const [result] = await cluster.sync('b');
    expect(result).toMatchObject({ ok: true, pulled: COUNT });
    expect(await itemStates(cluster.nodes.b)).toEqual(await itemStates(cluster.nodes.a));
  });

  it('GET /admin/conflicts holds at most 8 MiB of winners and losers; next continues', async () => {
    const b = request(cluster.nodes.b.url);
    const big = (tag: string) => ({ tag, s: randomBytes(BIG / 2).toString('hex') });
    const edits = (tag: string) => ({ items: ids.slice(0, 6).map((id) => ({ id, data: big(tag) })) });
    expect(
      (await a.post('/items/bulk').send(edits('a')).expect(200)).body.results.map((r: { status: number }) => r.status),
    ).toEqual(Array(6).fill(200));
    await b.post('/items/bulk').send(edits('b')).expect(200);
    const [result] = await cluster.sync('b');
    expect(result).toMatchObject({ ok: true, conflicts: 6 });

    const first = (await b.get('/admin/conflicts').expect(200)).body;
    expect(first.conflicts).toHaveLength(4);
    expect(dataBytes(first.conflicts.flatMap((c: { winner: object; loser: object }) => [c.winner, c.loser]))).toBeLessThanOrEqual(
      BOUND,
    );
    expect(typeof first.next).toBe('string');
    const second = (await request(cluster.nodes.b.url).get('/admin/conflicts').query({ after: first.next }).expect(200)).body;
    expect(second.next).toBeNull();
    const seen = [...first.conflicts, ...second.conflicts].map((c: { itemId: string }) => c.itemId).sort();
    expect(seen).toEqual(ids.slice(0, 6));
  });
});
