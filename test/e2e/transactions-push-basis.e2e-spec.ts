import { Client } from 'pg';
import request from 'supertest';
import { aPushEntry, anItem } from '../factories/items';
import { olderTransactionsEnded } from '../support/cluster';
import { bearer } from '../support/http';
import { TestNode, startNode } from '../support/node';

const TOKEN = 'push-basis-test-token-0123456789abcdef';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `count` backends of the node's database wait for a lock. */
async function lockWaiters(client: Client, count: number, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await pause(10)) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0].n >= count) return;
  }
  throw new Error(`fewer than ${count} requests came to wait for the row lock`);
}

/**
 * API.md: a push with `basis` answers 409 when an item in the batch changed
 * on this node after `basis`. The check and the write are one atomic step, so
 * a local write that commits while the push is being applied is never
 * overwritten without a 409.
 */
describe('PUT /items/transactions with basis, racing a local write', () => {
  let node: TestNode;
  let pg: Client;
  const auth = bearer(TOKEN);

  beforeAll(async () => {
    node = await startNode({ id: 'b', env: { API_TOKEN: TOKEN } });
    pg = new Client({ connectionString: node.database!.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await node?.stop();
  });

  it('answers 409 when the write commits between the check and the upsert', async () => {
    const item = (await request(node.url).post('/items').set(auth).send(anItem()).expect(201)).body;
    await olderTransactionsEnded();
    const basis = (await request(node.url).get('/items/transactions?limit=10000').set(auth).expect(200)).body.cursor;

    // Hold the item's row, queue a client write on it, then the push: the write is first in line.
    const holder = new Client({ connectionString: node.database!.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM items WHERE id = $1 FOR UPDATE', [item.id]);
    const write = request(node.url)
      .put(`/items/${item.id}`)
      .set(auth)
      .send({ data: { edited: 'locally' } })
      .then((res) => res);
    await lockWaiters(pg, 1);
    const entry = aPushEntry({ itemId: item.id, origin: 'c', updatedAt: new Date(Date.now() + 3_600_000).toISOString() });
    const push = request(node.url)
      .put('/items/transactions')
      .set(auth)
      .send({ node: 'c', basis, entries: [entry] })
      .then((res) => res);
    await lockWaiters(pg, 2);
    await holder.query('ROLLBACK');
    await holder.end();

    const [written, pushed] = [await write, await push];
    expect(written.status).toBe(200);
    expect({ status: pushed.status, body: pushed.body }).toMatchObject({ status: 409, body: { conflicts: [item.id] } });
    const stored = (await request(node.url).get(`/items/${item.id}`).set(auth).expect(200)).body;
    expect(stored).toMatchObject({ fingerprint: written.body.fingerprint, data: { edited: 'locally' } });
  });
});
