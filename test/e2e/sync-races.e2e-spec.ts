import { Client } from 'pg';
import request from 'supertest';
import { aPushEntry, anItem } from '../factories/items';
import {
  Cluster,
  SyncResultBody,
  itemStates,
  olderTransactionsEnded,
  signedByTest,
  startCluster,
  testSender,
} from '../support/cluster';
import { TestNode } from '../support/node';
import { metricOf } from '../support/metrics';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createMany(node: TestNode, count: number, parallel = 50): Promise<string[]> {
  const ids: string[] = [];
  for (let done = 0; done < count; done += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - done) }, () => anItem());
    await Promise.all(batch.map((body) => request(node.url).post('/items').send(body).expect(201)));
    ids.push(...batch.map((body) => body.id));
  }
  return ids;
}

/**
 * Holds an EXCLUSIVE lock on `node`'s peer_checkpoints table: reads go on,
 * but a sync that has read the peer's log stops where it saves its cursor.
 */
async function holdCheckpoints(node: TestNode) {
  const client = new Client({ connectionString: node.database!.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE peer_checkpoints IN EXCLUSIVE MODE');
  return {
    /** Resolves once a sync waits for the lock. */
    async syncWaiting(timeoutMs = 10_000): Promise<void> {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await pause(10)) {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
           WHERE c.relname = 'peer_checkpoints' AND NOT l.granted`,
        );
        if (rows[0].n > 0) return;
      }
      throw new Error('no sync came to wait for the checkpoint lock');
    },
    async release(): Promise<void> {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

describe('writes racing a sync', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    // a's clock runs a minute ahead, so its versions beat what b writes meanwhile and a pushes them.
    cluster = await startCluster(['a', 'b'], { env: { a: { CLOCK_OFFSET_MS: '60000' } } });
  });
  afterEach(() => cluster.stop());

  it('meet 409s that are retried, and the nodes still converge', async () => {
    const { a, b } = cluster.nodes;
    const ids = await createMany(a, 3000);
    const raced = ids.filter((_, i) => i % 50 === 7); // 60 items spread over every push page
    const [duringRead, duringPush] = [raced.slice(0, 20), raced.slice(20)];
    await olderTransactionsEnded();

    // Deterministic part: b's writes land after a read b's log and before a pushes.
    const lock = await holdCheckpoints(a);
    let syncing: Promise<request.Response>;
    try {
      syncing = request(a.url)
        .post('/admin/sync')
        .send({ peers: ['b'] })
        .then((res) => res);
      await lock.syncWaiting();
      for (const [n, id] of duringRead.entries()) {
        await request(b.url)
          .put(`/items/${id}`)
          .send({ data: { from: 'b', n } })
          .expect(201);
      }
    } finally {
      await lock.release();
    }
    // Racing part: b keeps writing while the sync runs (a bounded number of times).
    for (const [n, id] of duringPush.entries()) {
      await request(b.url)
        .put(`/items/${id}`)
        .send({ data: { from: 'b', again: n } });
      await pause(5);
    }
    const first = await syncing!;
    expect(first.status).toBe(200);
    const [result]: SyncResultBody[] = first.body.results;
    expect(result.rounds).toBeGreaterThan(1);
    expect(await metricOf(a.url, 'logsync_push_conflict_retries_total', { peer: 'b' })).toBeGreaterThanOrEqual(1);
    expect(result.conflicts).toBeGreaterThanOrEqual(duringRead.length);

    // Each concurrent creation on b lost to a's later version, and is kept as a conflict on a with b's data.
    const { conflicts } = (await request(a.url).get(`/admin/conflicts?itemId=${duringRead[3]}`).expect(200)).body;
    expect(conflicts[conflicts.length - 1]).toMatchObject({
      peer: 'b',
      winner: { origin: 'a' },
      loser: { origin: 'b', data: { from: 'b', n: 3 } },
    });

    await olderTransactionsEnded();
    const [last] = await cluster.sync('a');
    expect(last.ok).toBe(true);
    const [onA, onB] = [await itemStates(a), await itemStates(b)];
    expect(onA).toHaveLength(3000);
    expect(onB).toEqual(onA);
    await olderTransactionsEnded();
    expect(await cluster.sync('a')).toMatchObject([{ ok: true, pulled: 0, pushed: 0 }]);
    expect(await cluster.sync('b')).toMatchObject([{ ok: true, pulled: 0, pushed: 0 }]);
  });

  it('PUT /items/transactions answers 409 and applies nothing when an item changed after basis', async () => {
    const { b } = cluster.nodes;
    const changed = (await request(b.url).post('/items').send(anItem()).expect(201)).body;
    const untouched = (await request(b.url).post('/items').send(anItem()).expect(201)).body;
    await olderTransactionsEnded();
    const readPath = '/items/transactions?limit=10000';
    const basis = (
      await request(b.url)
        .get(readPath)
        .set(signedByTest(b, 'GET', readPath))
        .expect(200)
    ).body.cursor;
    const edit = (
      await request(b.url)
        .put(`/items/${changed.id}`)
        .send({ data: { edited: 'on b' } })
        .expect(200)
    ).body;

    const later = new Date(Date.now() + 3_600_000).toISOString();
    const entries = [
      aPushEntry({ itemId: changed.id, origin: 'test', updatedAt: later }),
      aPushEntry({ itemId: untouched.id, origin: 'test', updatedAt: later }),
      aPushEntry({ origin: 'test', updatedAt: later }),
    ];
    const push = (body: object) => {
      const text = JSON.stringify(body);
      return request(b.url)
        .put('/items/transactions')
        .set(signedByTest(b, 'PUT', '/items/transactions', text))
        .set('content-type', 'application/json')
        .send(text);
    };
    const refused = await push({ node: testSender(b), basis, entries });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      statusCode: 409,
      error: expect.any(String),
      message: expect.any(String),
      conflicts: [changed.id],
    });
    expect((await request(b.url).get(`/items/${changed.id}`).expect(200)).body.fingerprint).toBe(edit.fingerprint);
    expect((await request(b.url).get(`/items/${untouched.id}`).expect(200)).body.fingerprint).toBe(untouched.fingerprint);
    await request(b.url).get(`/items/${entries[2].itemId}`).expect(404);

    // Read again past the change: the same batch now applies whole.
    await olderTransactionsEnded();
    const fresh = (
      await request(b.url)
        .get(readPath)
        .set(signedByTest(b, 'GET', readPath))
        .expect(200)
    ).body.cursor;
    expect((await push({ node: testSender(b), basis: fresh, entries })).body).toEqual({
      applied: 3,
      unchanged: 0,
      superseded: 0,
    });
    for (const entry of entries) {
      expect((await request(b.url).get(`/items/${entry.itemId}`).expect(200)).body.fingerprint).toBe(entry.fingerprint);
    }
  });
});
