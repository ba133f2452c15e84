import { Client } from 'pg';
import { callNode, connectTo, seedItems, syncWith } from '../support/bulk-items';
import { TEST_SECRET, olderTransactionsEnded } from '../support/cluster';
import { TestDatabase, createDatabase } from '../support/database';
import { TestNode, freePort, startNode } from '../support/node';
import { PEERS_TEST_TOKEN as TOKEN, peerAction, peerOf, runsOf, waitForPeer } from '../support/peers';

/**
 * Peer jobs live in the database: a restart keeps them, and processes of one
 * node on one database (here two apps in this process, each with its own
 * connection pool, as two processes would have) give the same answers.
 */
describe('peer jobs, persisted', () => {
  const nodes: TestNode[] = [];
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.stop({ keepDatabase: true })));
    await Promise.all(databases.splice(0).map((db) => db.drop()));
  });

  async function start(id: string, database: TestDatabase, env: Record<string, string>, port?: number): Promise<TestNode> {
    const node = await startNode({ id, database, port, env: { SYNC_SECRET: TEST_SECRET, API_TOKEN: TOKEN, ...env } });
    nodes.push(node);
    return node;
  }

  async function database(label: string): Promise<TestDatabase> {
    const db = await createDatabase(label);
    databases.push(db);
    return db;
  }

  it('keeps pause, failures, the next run and the last result across a restart', async () => {
    const db = await database('jobs_restart');
    const unreachable = `b=http://127.0.0.1:${await freePort()}`;
    const first = await start('a', db, { PEERS: unreachable, SYNC_INTERVAL_MS: '600000' });
    // The scheduler's first attempt comes within 5 s; failing, it waits about ten minutes for the next.
    const before = await waitForPeer(first.url, 'b', (p) => p.consecutiveFailures === 1, { token: TOKEN, timeoutMs: 15_000 });
    expect(before.state).toBe('backing-off');
    expect(Date.parse(before.nextRunAt!)).toBeGreaterThan(Date.now() + 60_000);
    await nodes.pop()!.stop({ keepDatabase: true });

    const second = await start('a', db, { PEERS: unreachable, SYNC_INTERVAL_MS: '600000' });
    const after = await peerOf(second.url, 'b', TOKEN);
    expect(after).toMatchObject({ state: 'backing-off', consecutiveFailures: 1, lastResult: before.lastResult });
    expect(after.nextRunAt).toBe(before.nextRunAt);
    expect(await runsOf(second.url, 'b', TOKEN)).toEqual([expect.objectContaining({ trigger: 'schedule', ok: false })]);
    expect((await peerAction(second.url, 'b', 'pause', TOKEN)).status).toBe(200);
    await nodes.pop()!.stop({ keepDatabase: true });

    const third = await start('a', db, { PEERS: unreachable, SYNC_INTERVAL_MS: '0' });
    expect(await peerOf(third.url, 'b', TOKEN)).toMatchObject({
      state: 'paused',
      paused: true,
      consecutiveFailures: 1,
      nextRunAt: null,
    });
  });

  it('gives the same answer on every process of one node: pause, and a run in progress', async () => {
    const [dbA, dbB] = await Promise.all([database('jobs_a'), database('jobs_b')]);
    const bPort = await freePort();
    const aPeers = { PEERS: `b=http://127.0.0.1:${bPort}` };
    const [one, two] = [await start('a', dbA, aPeers), await start('a', dbA, aPeers)];
    const b = await start('b', dbB, { PEERS: `a=${one.url}` }, bPort);

    expect((await peerAction(one.url, 'b', 'pause', TOKEN)).status).toBe(200);
    expect(await peerOf(two.url, 'b', TOKEN)).toMatchObject({ state: 'paused', paused: true });
    const refused = await callNode(two.url, 'POST', '/admin/sync', { token: TOKEN, body: { peers: ['b'] } });
    expect(refused.body.results[0]).toMatchObject({ ok: false, error: 'paused' });
    expect((await peerAction(two.url, 'b', 'resume', TOKEN)).status).toBe(200);
    expect((await peerOf(one.url, 'b', TOKEN)).paused).toBe(false);

    await seedItems(b.url, TOKEN, 'b', 6000, { bytes: 2000 });
    await olderTransactionsEnded();
    const sync = syncWith(one.url, 'b', TOKEN);
    const seen = await waitForPeer(two.url, 'b', (p) => p.state === 'running', { token: TOKEN });
    expect(seen.progress).toMatchObject({ phase: expect.stringMatching(/^(starting|pull|push)$/) });
    expect((await sync).ok).toBe(true);
    await waitForPeer(two.url, 'b', (p) => p.state === 'idle' && p.lastResult?.pulled === 6000, {
      token: TOKEN,
      timeoutMs: 2000,
    });
  });
});

describe('GET /admin/peers/:id/runs', () => {
  let node: TestNode | undefined;
  let pg: Client | undefined;
  afterEach(async () => {
    await pg?.end();
    await node?.stop();
  });

  it('lists runs newest first with their trigger and counts, limited by ?limit, the last 1000 kept', async () => {
    const peerPort = await freePort();
    node = await startNode({ id: 'a', env: { PEERS: `b=http://127.0.0.1:${peerPort}`, SYNC_SECRET: TEST_SECRET } });
    pg = await connectTo(node.database!.url);
    // 1000 older runs, as a long-lived node would have.
    await pg.query(
      `INSERT INTO peer_runs (peer, trigger, started_at, finished_at, ok, pulled, pushed, conflicts, rounds)
       SELECT 'b', 'schedule', now() - interval '1 day', now() - interval '1 day', true, n, 0, 0, 1 FROM generate_series(1, 1000) n`,
    );
    const started = Date.now();
    const result = await syncWith(node.url, 'b');
    expect(result.ok).toBe(false);

    const runs = await runsOf(node.url, 'b');
    expect(runs).toHaveLength(100);
    expect(runs[0]).toEqual({
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      trigger: 'admin',
      ok: false,
      pulled: 0,
      pushed: 0,
      conflicts: 0,
      rounds: 1,
      error: result.error,
    });
    expect(Date.parse(runs[0].startedAt)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(runs[0].finishedAt)).toBeGreaterThanOrEqual(Date.parse(runs[0].startedAt));
    expect(runs[1]).toEqual(expect.objectContaining({ trigger: 'schedule', ok: true, pulled: 1000 }));
    expect(runs[1]).not.toHaveProperty('error');

    const all = await runsOf(node.url, 'b', undefined, 1000);
    expect(all).toHaveLength(1000);
    // The oldest of the thousand made room for the newest.
    expect(all[999].pulled).toBe(2);
    expect((await pg.query(`SELECT count(*)::int AS n FROM peer_runs`)).rows[0].n).toBe(1000);
    expect(await runsOf(node.url, 'b', undefined, 3)).toEqual(all.slice(0, 3));
  });
});
