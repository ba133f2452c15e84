import { Client } from 'pg';
import { callNode, connectTo } from '../support/bulk-items';
import { TestNode, startNode } from '../support/node';

/**
 * GET /health answers within HEALTH_TIMEOUT_MS whatever the database does:
 * here every pooled connection is stuck behind a lock another client holds.
 */
describe('GET /health while the database does not answer in time', () => {
  let node: TestNode;
  let locker: Client;

  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { DB_POOL_SIZE: '3', HEALTH_TIMEOUT_MS: '1000' } });
    locker = await connectTo(node.database!.url);
  });

  afterAll(async () => {
    await locker.end().catch(() => undefined);
    await node.stop();
  });

  it('is 503 while every connection waits, then 200, and the waiting requests complete', async () => {
    await callNode(node.url, 'POST', '/items', { body: { data: { n: 1 } } });
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
    // More readers than connections: each holds one while it waits for the lock.
    const readers = Array.from({ length: 5 }, () => callNode(node.url, 'GET', '/items', { timeoutMs: 60_000 }));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const down = await callNode(node.url, 'GET', '/health', { timeoutMs: 10_000 });
    expect(down).toMatchObject({ status: 503, body: { message: 'the database does not answer' } });

    await locker.query('ROLLBACK');
    expect((await callNode(node.url, 'GET', '/health', { timeoutMs: 10_000 })).status).toBe(200);
    for (const reader of await Promise.all(readers)) {
      expect(reader.status).toBe(200);
      expect(reader.body.items).toHaveLength(1);
    }
  });
});
