import { setTimeout as sleep } from 'node:timers/promises';
import { callNode, seedItems, syncWith } from '../support/bulk-items';
import { TEST_SECRET, olderTransactionsEnded } from '../support/cluster';
import { FaultProxy, SeenRequest } from '../support/proxy';
import { TestNode, freePort, startNode } from '../support/node';
import { CheckpointsRepository } from '../../src/peers/checkpoints.repository';
import { LogRepository } from '../../src/transactions/log.repository';

const TOKEN = 'noop-test-token-0123456789abcdef0123456789';
const isLogRead = (r: SeenRequest) => r.method === 'GET' && r.path.startsWith('/items/transactions');

/** Resolves true once `met` holds, false when `ms` pass first. */
async function within(ms: number, met: () => boolean): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(10)) if (met()) return true;
  return met();
}

/**
 * README, "Benchmarks": a round with nothing to do is a chain of steps, each
 * a hop to a database or the peer. b syncs with a through a proxy that counts
 * (and can hold) b's requests; b's log reads are watched, never replaced.
 */
describe('a round with nothing to do', () => {
  let a: TestNode;
  let b: TestNode;
  let proxy: FaultProxy;
  let log: LogRepository;

  beforeEach(async () => {
    const [aPort, bPort] = [await freePort(), await freePort()];
    proxy = new FaultProxy(`http://127.0.0.1:${aPort}`);
    await proxy.start();
    const env = { SYNC_SECRET: TEST_SECRET, API_TOKEN: TOKEN };
    a = await startNode({ id: 'a', port: aPort, env: { ...env, PEERS: `b=http://127.0.0.1:${bPort}` } });
    b = await startNode({ id: 'b', port: bPort, env: { ...env, PEERS: `a=${proxy.url}` } });
    await seedItems(a.url, TOKEN, 'a', 5);
    await seedItems(b.url, TOKEN, 'b', 5);
    await olderTransactionsEnded();
    expect(await syncWith(b.url, 'a', TOKEN)).toMatchObject({ ok: true, pulled: 5, pushed: 5 });
    // The next round reads back, from a's log, the five versions b pushed: from then on nothing is new.
    expect(await syncWith(b.url, 'a', TOKEN)).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
    log = b.app.get(LogRepository);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all([a.stop(), b.stop()]);
    await proxy.stop();
  });

  it('asks the peer for one log page and nothing else, and estimates no progress total', async () => {
    const estimates = jest.spyOn(log, 'estimateAfter');
    const before = proxy.seen.length;
    expect(await syncWith(b.url, 'a', TOKEN)).toMatchObject({ ok: true, pulled: 0, pushed: 0, conflicts: 0 });
    expect(proxy.seen.slice(before).map((r) => r.method + ' ' + r.path.split('?')[0])).toEqual(['GET /items/transactions']);
    // This node's log fits one slice: the push phase's total is known from it.
    expect(estimates).not.toHaveBeenCalled();
  });

  it("reads this node's own log while the peer's first page is on its way", async () => {
    const reads = jest.spyOn(log, 'readAfter');
    let ownReadFirst: boolean | undefined;
    proxy.use((request) =>
      isLogRead(request)
        ? { kind: 'forward', before: async () => void (ownReadFirst = await within(3000, () => reads.mock.calls.length > 0)) }
        : { kind: 'forward' },
    );
    expect(await syncWith(b.url, 'a', TOKEN)).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
    expect(ownReadFirst).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('reads its own log on after a pull phase that met entries, saving its local cursor once', async () => {
    await seedItems(a.url, TOKEN, 'a', 1);
    await seedItems(b.url, TOKEN, 'b', 1);
    await olderTransactionsEnded();
    const reads = jest.spyOn(log, 'readAfter');
    const advances = jest.spyOn(b.app.get(CheckpointsRepository), 'advance');
    expect(await syncWith(b.url, 'a', TOKEN)).toMatchObject({ ok: true, pulled: 1, pushed: 1 });
    // The slice read as the round began, then the log after it (what the pull kept here would be there).
    expect(reads).toHaveBeenCalledTimes(2);
    expect(advances.mock.calls.map(([, , which]) => which).filter((which) => which === 'local')).toEqual(['local']);
  });

  it('offers a write made here while the peer answers its first page in the next round, not losing it', async () => {
    const reads = jest.spyOn(log, 'readAfter');
    let written: string | undefined;
    proxy.use((request, seen) =>
      isLogRead(request) && written === undefined
        ? {
            kind: 'forward',
            before: async () => {
              // After this node's own log was read for the round: the write lands behind that read.
              expect(await within(3000, () => reads.mock.calls.length > 0)).toBe(true);
              await reads.mock.results[0].value;
              const created = await callNode(b.url, 'POST', '/items', { token: TOKEN, body: { data: { late: seen.length } } });
              written = created.body.id;
            },
          }
        : { kind: 'forward' },
    );
    const first = await syncWith(b.url, 'a', TOKEN);
    expect(first).toMatchObject({ ok: true, pulled: 0 });
    expect(written).toEqual(expect.any(String));
    await olderTransactionsEnded();
    const next = await syncWith(b.url, 'a', TOKEN);
    expect(next).toMatchObject({ ok: true, pulled: 0 });
    expect(first.pushed + next.pushed).toBe(1);
    expect((await callNode(a.url, 'GET', `/items/${written}`, { token: TOKEN })).status).toBe(200);
  });
});
