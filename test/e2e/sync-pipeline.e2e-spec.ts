import { Client } from 'pg';
import { connectTo, itemsDigest, seedItems, syncWith } from '../support/bulk-items';
import { TEST_SECRET, olderTransactionsEnded } from '../support/cluster';
import { FaultProxy, SeenRequest } from '../support/proxy';
import { TestNode, freePort, startNode } from '../support/node';

const TOKEN = 'pipeline-test-token-0123456789abcdef012345';
const N = 2500;
const isLogRead = (r: SeenRequest) => r.method === 'GET' && r.path.startsWith('/items/transactions');
const isBatch = (r: SeenRequest) => r.method === 'POST' && r.path.startsWith('/items/batch');
const withBodies = (r: SeenRequest) => /[?&]include=[^&]*data/.test(decodeURIComponent(r.path));

/**
 * DESIGN.md, "Speed without losing the guarantees": the pull reads page n+1
 * while page n applies, each page committed with its cursor; bodies travel
 * with the log page once most of them are missing here. a pulls b's log
 * through a proxy that counts (and can fail) its requests.
 */
describe('a pipelined pull', () => {
  let a: TestNode;
  let b: TestNode;
  let proxy: FaultProxy;
  let pgA: Client;

  beforeEach(async () => {
    const [aPort, bPort] = [await freePort(), await freePort()];
    proxy = new FaultProxy(`http://127.0.0.1:${bPort}`);
    await proxy.start();
    const env = { SYNC_SECRET: TEST_SECRET, API_TOKEN: TOKEN };
    b = await startNode({ id: 'b', port: bPort, env: { ...env, PEERS: `a=http://127.0.0.1:${aPort}` } });
    a = await startNode({ id: 'a', port: aPort, env: { ...env, PEERS: `b=${proxy.url}` } });
    await seedItems(b.url, TOKEN, 'b', N, { batch: 500, bytes: 300 });
    pgA = await connectTo(a.database!.url);
    await olderTransactionsEnded();
  });
  afterEach(async () => {
    await pgA.end();
    await Promise.all([a.stop(), b.stop()]);
    await proxy.stop();
  });

  it('brings bodies with the log page once most are missing, and fetches none of them again', async () => {
    const result = await syncWith(a.url, 'b', TOKEN);
    expect(result).toMatchObject({ ok: true, pulled: N, pushed: 0, conflicts: 0 });
    const reads = proxy.seen.filter(isLogRead);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    // The first page is read keys only and its bodies fetched in bulk (while the second page is read
    // ahead); every later page brings its bodies, and no body is fetched once the third read went out.
    expect(withBodies(reads[0])).toBe(false);
    expect(reads.slice(1).every(withBodies)).toBe(true);
    const third = proxy.seen.indexOf(reads[2]);
    expect(proxy.seen.slice(0, third).filter(isBatch).length).toBeGreaterThan(0);
    expect(proxy.seen.slice(third).filter(isBatch)).toEqual([]);
    const pgB = await connectTo(b.database!.url);
    expect(await itemsDigest(pgA)).toEqual(await itemsDigest(pgB));
    await pgB.end();
  });

  it('keeps every page committed before a failed read ahead, and resumes after the last one', async () => {
    // The third page is read ahead while the second applies; its read fails.
    proxy.use((req, seen) => (isLogRead(req) && seen.filter(isLogRead).length === 2 ? { kind: 'fail' } : { kind: 'forward' }));
    const failed = await syncWith(a.url, 'b', TOKEN);
    expect(failed.ok).toBe(false);
    expect(failed.pulled).toBe(2000);
    const { rows } = await pgA.query(`SELECT remote_cursor FROM peer_checkpoints WHERE peer = 'b'`);
    expect(rows[0].remote_cursor).toEqual(expect.any(String));
    expect((await itemsDigest(pgA)).count).toBe(2000);

    proxy.use(() => ({ kind: 'forward' }));
    const before = proxy.seen.length;
    const resumed = await syncWith(a.url, 'b', TOKEN);
    expect(resumed).toMatchObject({ ok: true, pulled: N - 2000, conflicts: 0 });
    const firstRead = proxy.seen.slice(before).find(isLogRead)!;
    expect(decodeURIComponent(firstRead.path)).toContain(`after=${rows[0].remote_cursor}`);
    expect((await itemsDigest(pgA)).count).toBe(N);
  });
});
