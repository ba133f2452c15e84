import request from 'supertest';
import { anItem } from '../factories/items';
import { connectTo } from '../support/bulk-items';
import { TEST_SECRET, olderTransactionsEnded } from '../support/cluster';
import { eventually } from '../support/http';
import { TestNode, freePort, startNode } from '../support/node';
import { FaultProxy } from '../support/proxy';

/**
 * README, "A sync round": the push phase's first slice is read, and its items
 * that the pull phase's last page does not hold are offered, while that page
 * applies; the rest of the round is as before. Two real nodes; a's apply of
 * the page is held up by a row lock the test keeps on a's database.
 */
describe('the push phase prepared while the pull phase applies', () => {
  let a: TestNode;
  let b: TestNode;
  /** a reaches b through it. */
  let proxy: FaultProxy;
  beforeEach(async () => {
    const [aPort, bPort] = [await freePort(), await freePort()];
    proxy = new FaultProxy(`http://127.0.0.1:${bPort}`);
    await proxy.start();
    a = await startNode({ id: 'a', port: aPort, env: { PEERS: `b=${proxy.url}`, SYNC_SECRET: TEST_SECRET } });
    b = await startNode({ id: 'b', port: bPort, env: { PEERS: `a=http://127.0.0.1:${aPort}`, SYNC_SECRET: TEST_SECRET } });
  });
  afterEach(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await proxy.stop();
  });

  const create = async (node: TestNode) => (await request(node.url).post('/items').send(anItem()).expect(201)).body;
  const put = async (node: TestNode, id: string, data: Record<string, unknown>) =>
    (await request(node.url).put(`/items/${id}`).send({ data }).expect(200)).body;
  const sync = () =>
    request(a.url)
      .post('/admin/sync')
      .send({ peers: ['b'] })
      .expect(200)
      .then((res) => res.body.results[0]);

  /** Two items on both nodes, then `mine` edited on a and `theirs` on b: b's next log page holds b's edit alone. */
  async function editedApart() {
    const [mine, theirs] = [await create(a), await create(a)];
    await olderTransactionsEnded();
    expect(await sync()).toMatchObject({ ok: true, pushed: 2 });
    // Read past b's log entries of that push.
    await olderTransactionsEnded();
    expect(await sync()).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
    const edited = await put(a, mine.id, { edited: 'on a' });
    const pulled = await put(b, theirs.id, { edited: 'on b' });
    return { mine, theirs, edited, pulled };
  }

  it('sends the items the last pull page does not hold before that page commits', async () => {
    const { mine, theirs, edited, pulled } = await editedApart();
    await olderTransactionsEnded();

    const pg = await connectTo(a.database!.url);
    try {
      await pg.query('BEGIN');
      await pg.query('SELECT 1 FROM items WHERE id = $1 FOR UPDATE', [theirs.id]);
      const syncing = sync();
      let settled = false;
      void syncing.finally(() => (settled = true));
      // a's apply of b's edit waits for the lock; a's own edit reaches b meanwhile.
      await eventually(async () => {
        const now = (await request(b.url).get(`/items/${mine.id}`).expect(200)).body;
        expect(now.fingerprint).toBe(edited.fingerprint);
      }, 10_000);
      expect(settled).toBe(false);
      expect((await request(a.url).get(`/items/${theirs.id}`).expect(200)).body.fingerprint).not.toBe(pulled.fingerprint);
      await pg.query('ROLLBACK');
      expect(await syncing).toMatchObject({ ok: true, pulled: 1, pushed: 1, conflicts: 0, rounds: 1 });
    } finally {
      await pg.end();
    }
    expect((await request(a.url).get(`/items/${theirs.id}`).expect(200)).body.fingerprint).toBe(pulled.fingerprint);
    await olderTransactionsEnded();
    expect(await sync()).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
  });

  it('lets a 409 met by that early offer wait for the page to commit, then starts the round again', async () => {
    const { mine, theirs, pulled } = await editedApart();
    await olderTransactionsEnded();

    // Once b's log page has been read, b edits `mine` too: a's early offer of `mine` then meets a newer version (409).
    let editedOnB: Promise<unknown> | undefined;
    proxy.use((seen) =>
      seen.method === 'POST' && seen.path.startsWith('/items/batch')
        ? { kind: 'forward', before: async () => void (await (editedOnB ??= put(b, mine.id, { edited: 'on b, later' }))) }
        : { kind: 'forward' },
    );
    const logReads = () =>
      proxy.seen.filter((seen) => seen.method === 'GET' && seen.path.startsWith('/items/transactions')).length;
    const pg = await connectTo(a.database!.url);
    try {
      await pg.query('BEGIN');
      await pg.query('SELECT 1 FROM items WHERE id = $1 FOR UPDATE', [theirs.id]);
      const readsBefore = logReads();
      const syncing = sync();
      let settled = false;
      void syncing.finally(() => (settled = true));
      // The offer's keys fetch and b's edit are done; the page's apply still waits for the lock.
      await eventually(async () => {
        expect(editedOnB).toBeDefined();
        await editedOnB;
        expect(proxy.seen.filter((seen) => seen.path.startsWith('/items/batch')).length).toBeGreaterThanOrEqual(2);
      }, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // No second round has begun while the first one's last page has not committed.
      expect(logReads() - readsBefore).toBe(1);
      expect(settled).toBe(false);
      await pg.query('ROLLBACK');
      expect(await syncing).toMatchObject({ ok: true, rounds: 2, conflicts: 1 });
    } finally {
      await pg.end();
    }
    expect((await request(a.url).get(`/items/${theirs.id}`).expect(200)).body.fingerprint).toBe(pulled.fingerprint);
    expect((await request(a.url).get(`/items/${mine.id}`).expect(200)).body.data).toEqual({ edited: 'on b, later' });
  });
});
