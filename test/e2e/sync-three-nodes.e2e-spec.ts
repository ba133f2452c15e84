import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { anItem, someData } from '../factories/items';
import { Cluster, SyncResultBody, itemStates, olderTransactionsEnded, startCluster } from '../support/cluster';
import { TestNode } from '../support/node';

/** POST /admin/sync once every write so far shows in every log (see olderTransactionsEnded). */
async function sync(cluster: Cluster, from: string, peers?: string[]): Promise<SyncResultBody[]> {
  await olderTransactionsEnded();
  return cluster.sync(from, peers);
}

/** POST /admin/sync from each node in turn; returns every result, keyed "from>peer". */
async function syncInOrder(cluster: Cluster, order: string[]): Promise<Record<string, SyncResultBody>> {
  const all: Record<string, SyncResultBody> = {};
  for (const from of order) {
    for (const result of await sync(cluster, from)) all[`${from}>${result.peer}`] = result;
  }
  return all;
}

async function create(node: TestNode, data = someData()) {
  return (await request(node.url).post('/items').send(anItem({ data })).expect(201)).body;
}

async function put(node: TestNode, id: string, data: Record<string, unknown>) {
  return (
    await request(node.url)
      .put(`/items/${id}`)
      .send({ data })
      .expect((res) => expect([200, 201]).toContain(res.status))
  ).body;
}

async function expectSameEverywhere(nodes: TestNode[], count: number): Promise<void> {
  const [first, ...rest] = await Promise.all(nodes.map(itemStates));
  expect(first).toHaveLength(count);
  for (const states of rest) expect(states).toEqual(first);
}

/** Records "METHOD /path" of every request `node` receives from now on (an observer, not a stand-in). */
function requestsTo(node: TestNode): string[] {
  const seen: string[] = [];
  node.app.getHttpServer().on('request', (req: IncomingMessage) => seen.push(`${req.method} ${req.url?.split('?')[0]}`));
  return seen;
}

/** Every sync from every node has nothing left to move. */
async function expectQuiet(cluster: Cluster): Promise<void> {
  for (const from of Object.keys(cluster.nodes)) {
    for (const result of await sync(cluster, from)) {
      expect(result).toMatchObject({ ok: true, pulled: 0, pushed: 0, conflicts: 0 });
    }
  }
}

describe('three nodes in a full mesh', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await startCluster(['a', 'b', 'c']);
  });
  afterEach(() => cluster.stop());

  it('converge on creates, updates and deletes made on every node', async () => {
    const { a, b, c } = cluster.nodes;
    const [a1, a2] = [await create(a), await create(a)];
    const [b1, b2] = [await create(b), await create(b)];
    const [c1, c2] = [await create(c), await create(c)];
    await syncInOrder(cluster, ['a', 'b', 'c', 'a']);
    await expectSameEverywhere([a, b, c], 6);

    const updates = { [b1.id]: { edited: 'on a' }, [a1.id]: { edited: 'on b' }, [b2.id]: { edited: 'on c' } };
    await put(a, b1.id, updates[b1.id]);
    await request(a.url).delete(`/items/${c1.id}`).expect(204);
    await put(b, a1.id, updates[a1.id]);
    await request(b.url).delete(`/items/${a2.id}`).expect(204);
    await put(c, b2.id, updates[b2.id]);
    await request(c.url).delete(`/items/${c2.id}`).expect(204);
    const c3 = await create(c);
    await syncInOrder(cluster, ['a', 'b', 'c', 'a']);

    await expectSameEverywhere([a, b, c], 7);
    for (const node of [a, b, c]) {
      for (const [id, data] of Object.entries(updates)) {
        expect((await request(node.url).get(`/items/${id}`).expect(200)).body.data).toEqual(data);
      }
      for (const gone of [c1, a2, c2]) {
        const res = await request(node.url).get(`/items/${gone.id}`).expect(410);
        expect(res.body).toMatchObject({ id: gone.id, deleted: true, data: null });
      }
      await request(node.url).get(`/items/${c3.id}`).expect(200);
    }
    await expectQuiet(cluster);
  });

  it('does not echo: a change that went a→b→c is not sent again between a and c', async () => {
    const { a, b, c } = cluster.nodes;
    const item = await create(a);
    expect(await sync(cluster, 'a', ['b'])).toMatchObject([{ peer: 'b', ok: true, pushed: 1, pulled: 0 }]);
    expect(await sync(cluster, 'b', ['c'])).toMatchObject([{ peer: 'c', ok: true, pushed: 1, pulled: 0 }]);
    const before = await itemStates(c);
    expect(before).toEqual([expect.objectContaining({ id: item.id, fingerprint: item.fingerprint })]);

    const [toA, toC] = [requestsTo(a), requestsTo(c)];
    expect(await sync(cluster, 'a', ['c'])).toMatchObject([{ peer: 'c', ok: true, pushed: 0, pulled: 0, conflicts: 0 }]);
    expect(await sync(cluster, 'c', ['a'])).toMatchObject([{ peer: 'a', ok: true, pushed: 0, pulled: 0, conflicts: 0 }]);
    // Both logs were read, and no body was sent either way: fingerprints were compared first.
    expect(toC).toContain('GET /items/transactions');
    expect(toA).toContain('GET /items/transactions');
    expect([...toA, ...toC]).not.toContain('PUT /items/transactions');

    const edited = await put(a, item.id, { edited: true });
    await sync(cluster, 'a', ['b']);
    await sync(cluster, 'b', ['c']);
    toA.length = toC.length = 0;
    expect(await sync(cluster, 'a', ['c'])).toMatchObject([{ ok: true, pushed: 0, pulled: 0, conflicts: 0 }]);
    expect(await sync(cluster, 'c', ['a'])).toMatchObject([{ ok: true, pushed: 0, pulled: 0, conflicts: 0 }]);
    expect(toC.length + toA.length).toBeGreaterThan(0);
    expect([...toA, ...toC]).not.toContain('PUT /items/transactions');
    const after = await itemStates(c);
    expect(after).toEqual([{ id: item.id, fingerprint: edited.fingerprint, deleted: false, updatedAt: edited.updatedAt }]);
    await expectSameEverywhere([a, b, c], 1);
  });
});

describe('three nodes in a chain a–b–c', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await startCluster(['a', 'b', 'c'], { links: { a: ['b'], b: ['a', 'c'], c: ['b'] } });
  });
  afterEach(() => cluster.stop());

  it('carries writes and deletes from one end to the other through b', async () => {
    const { a, b, c } = cluster.nodes;
    const fromA = await create(a);
    const fromC = await create(c);
    await syncInOrder(cluster, ['a', 'c', 'b', 'a', 'c']);
    for (const node of [a, b, c]) {
      expect((await request(node.url).get(`/items/${fromA.id}`).expect(200)).body.fingerprint).toBe(fromA.fingerprint);
      expect((await request(node.url).get(`/items/${fromC.id}`).expect(200)).body.fingerprint).toBe(fromC.fingerprint);
    }

    const edited = await put(a, fromC.id, { edited: 'on a' });
    await request(c.url).delete(`/items/${fromA.id}`).expect(204);
    const results = await syncInOrder(cluster, ['a', 'c', 'b']);
    // a hands its edit to b; c hands b its delete and takes the edit; b hands a the delete.
    expect(results['a>b']).toMatchObject({ ok: true, pushed: 1, pulled: 0 });
    expect(results['c>b']).toMatchObject({ ok: true, pushed: 1, pulled: 1 });
    expect(results['b>a']).toMatchObject({ ok: true, pushed: 1, pulled: 0 });
    expect(results['b>c']).toMatchObject({ ok: true, pushed: 0, pulled: 0 });

    for (const node of [a, b, c]) {
      expect((await request(node.url).get(`/items/${fromC.id}`).expect(200)).body).toMatchObject({
        data: { edited: 'on a' },
        fingerprint: edited.fingerprint,
      });
      await request(node.url).get(`/items/${fromA.id}`).expect(410);
    }
    await expectSameEverywhere([a, b, c], 2);
    await expectQuiet(cluster);
  });
});

describe('the winner rule across nodes', () => {
  const WINDOW_MS = 60_000;

  it('lets the higher priority win inside the window, and a later causal edit still win', async () => {
    // All clocks are shifted alike so the test starts 1 s into a window: every write below shares it.
    const offset = (2 * WINDOW_MS + 1000 - (Date.now() % WINDOW_MS)) % WINDOW_MS;
    const shared = { CONFLICT_WINDOW_MS: String(WINDOW_MS), CLOCK_OFFSET_MS: String(offset) };
    const cluster = await startCluster(['a', 'b', 'c'], {
      env: { a: shared, b: { ...shared, NODE_PRIORITY: '5' }, c: shared },
    });
    try {
      const { a, b, c } = cluster.nodes;
      const item = await create(a);
      const bucket = Math.floor(Date.parse(item.updatedAt) / WINDOW_MS);
      await sync(cluster, 'a');
      const onB = await put(b, item.id, { edited: 'on b' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const onA = await put(a, item.id, { edited: 'on a' });
      expect(Date.parse(onA.updatedAt)).toBeGreaterThan(Date.parse(onB.updatedAt));
      expect(Math.floor(Date.parse(onA.updatedAt) / WINDOW_MS)).toBe(bucket);
      expect(Math.floor(Date.parse(onB.updatedAt) / WINDOW_MS)).toBe(bucket);

      await syncInOrder(cluster, ['a', 'c', 'b']);
      for (const node of [a, b, c]) {
        expect((await request(node.url).get(`/items/${item.id}`).expect(200)).body).toMatchObject({
          data: { edited: 'on b' },
          origin: 'b',
          priority: 5,
          fingerprint: onB.fingerprint,
          updatedAt: onB.updatedAt,
        });
      }

      // a has now seen b's version: its edit is stamped at the next window so that it wins,
      // and only this item moves forward, not a's other writes.
      const causal = await put(a, item.id, { edited: 'on a, after b' });
      expect(causal.updatedAt).toBe(new Date((bucket + 1) * WINDOW_MS).toISOString());
      const other = await create(a);
      expect(Date.parse(other.updatedAt)).toBeLessThan((bucket + 1) * WINDOW_MS);
      await syncInOrder(cluster, ['a']);
      for (const node of [a, b, c]) {
        expect((await request(node.url).get(`/items/${item.id}`).expect(200)).body.fingerprint).toBe(causal.fingerprint);
      }
      await expectSameEverywhere([a, b, c], 2);
    } finally {
      await cluster.stop();
    }
  });

  it('never loses an edit made after seeing a version from a clock that runs ahead (HLC)', async () => {
    // b runs 200 s behind and c 200 s ahead; they do not peer with each other (400 s apart).
    const cluster = await startCluster(['a', 'b', 'c'], {
      links: { a: ['b', 'c'], b: ['a'], c: ['a'] },
      env: { b: { CLOCK_OFFSET_MS: '-200000' }, c: { CLOCK_OFFSET_MS: '200000' } },
    });
    try {
      const { a, b, c } = cluster.nodes;
      const item = await create(c);
      expect(Date.parse(item.updatedAt)).toBeGreaterThan(Date.now() + 190_000);
      await sync(cluster, 'a', ['c']);
      await sync(cluster, 'a', ['b']);

      const onB = await put(b, item.id, { edited: 'on b, 200 s behind' });
      expect(Date.parse(onB.updatedAt)).toBeGreaterThan(Date.parse(item.updatedAt));
      const elsewhere = await create(b);
      expect(Math.abs(Date.parse(elsewhere.updatedAt) - (Date.now() - 200_000))).toBeLessThan(10_000);
      await sync(cluster, 'a', ['b']);
      await sync(cluster, 'a', ['c']);
      for (const node of [a, b, c]) {
        expect((await request(node.url).get(`/items/${item.id}`).expect(200)).body).toMatchObject({
          data: { edited: 'on b, 200 s behind' },
          origin: 'b',
          updatedAt: onB.updatedAt,
        });
      }

      const onA = await put(a, item.id, { edited: 'on a' });
      expect(Date.parse(onA.updatedAt)).toBeGreaterThan(Date.parse(onB.updatedAt));
      const results = await sync(cluster, 'a');
      expect(results.map((r) => [r.peer, r.ok, r.pushed])).toEqual([
        ['b', true, 1],
        ['c', true, 1],
      ]);
      for (const node of [a, b, c]) {
        expect((await request(node.url).get(`/items/${item.id}`).expect(200)).body.fingerprint).toBe(onA.fingerprint);
      }
      await expectSameEverywhere([a, b, c], 2);
    } finally {
      await cluster.stop();
    }
  });
});
