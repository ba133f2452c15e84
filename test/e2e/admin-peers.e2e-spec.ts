import { callNode, seedItems, syncWith } from '../support/bulk-items';
import { Cluster, TEST_SECRET, olderTransactionsEnded, startCluster } from '../support/cluster';
import { eventually } from '../support/http';
import { TestNode, freePort, startNode } from '../support/node';
import { PEERS_TEST_TOKEN as TOKEN, peerAction, peerOf, peersOf, runsOf, sleep, waitForPeer } from '../support/peers';

const withToken = { API_TOKEN: TOKEN };

describe('GET /admin/peers: each peer job and its state', () => {
  let cluster: Cluster | undefined;
  let lone: TestNode | undefined;
  afterEach(async () => {
    await cluster?.stop();
    await lone?.stop();
    cluster = lone = undefined;
  });

  it('lists every peer idle, with the fields of API.md, before any sync', async () => {
    cluster = await startCluster(['a', 'b', 'c'], { env: { a: withToken } });
    const { a, b, c } = cluster.nodes;
    const peers = await peersOf(a.url, TOKEN);
    expect(peers.map((p) => p.id)).toEqual(['b', 'c']);
    expect(peers[0]).toMatchObject({
      id: 'b',
      url: b.url,
      state: 'idle',
      paused: false,
      lastResult: null,
      lastSuccessAt: null,
      nextRunAt: null,
      consecutiveFailures: 0,
      progress: null,
      backlog: { push: 0 },
    });
    expect(peers[1]).toMatchObject({ id: 'c', url: c.url, state: 'idle' });
    expect((await callNode(a.url, 'GET', '/admin/peers')).status).toBe(401);
  });

  it('counts the backlog: entries not yet offered to the peer, leaving out what came from it', async () => {
    cluster = await startCluster(['a', 'b'], { env: { a: withToken, b: withToken } });
    const { a, b } = cluster.nodes;
    for (let i = 0; i < 3; i++) await callNode(a.url, 'POST', '/items', { token: TOKEN, body: { data: { i } } });
    await eventually(async () => expect((await peerOf(a.url, 'b', TOKEN)).backlog).toEqual({ push: 3 }));
    await callNode(b.url, 'POST', '/items', { token: TOKEN, body: { data: { on: 'b' } } });
    await olderTransactionsEnded();
    expect(await syncWith(a.url, 'b', TOKEN)).toMatchObject({ ok: true, pushed: 3, pulled: 1 });
    expect((await peerOf(a.url, 'b', TOKEN)).backlog).toEqual({ push: 0 });
    // b pushes a new item of its own to a: it lands in a's log after a's cursor for b, and is never offered back.
    await callNode(b.url, 'POST', '/items', { token: TOKEN, body: { data: { also: 'b' } } });
    await olderTransactionsEnded();
    expect(await syncWith(b.url, 'a', TOKEN)).toMatchObject({ ok: true, pushed: 1 });
    await olderTransactionsEnded();
    expect((await peerOf(a.url, 'b', TOKEN)).backlog).toEqual({ push: 0 });
    await callNode(a.url, 'POST', '/items', { token: TOKEN, body: { data: { later: true } } });
    await eventually(async () => expect((await peerOf(a.url, 'b', TOKEN)).backlog).toEqual({ push: 1 }));
  });

  it('shows running with progress during a long sync, then idle with its result', async () => {
    cluster = await startCluster(['a', 'b'], { env: { a: withToken, b: withToken } });
    const { a, b } = cluster.nodes;
    await seedItems(b.url, TOKEN, 'b', 6000, { bytes: 2000 });
    await olderTransactionsEnded();
    const started = Date.now();
    const sync = syncWith(a.url, 'b', TOKEN);
    const running = await waitForPeer(a.url, 'b', (p) => p.state === 'running' && p.progress?.phase === 'pull', { token: TOKEN });
    expect(running.progress).toEqual({
      phase: 'pull',
      done: expect.any(Number),
      total: 6000,
      itemsPerSecond: expect.any(Number),
    });
    const later = await waitForPeer(a.url, 'b', (p) => p.state !== 'running' || (p.progress?.done ?? 0) > 0, { token: TOKEN });
    const result = await sync;
    expect(result).toMatchObject({ ok: true, pulled: 6000 });
    if (later.state === 'running') expect(later.progress!.itemsPerSecond).toBeGreaterThan(0);
    const idle = await peerOf(a.url, 'b', TOKEN);
    expect(idle).toMatchObject({ state: 'idle', progress: null, consecutiveFailures: 0, lastResult: { ok: true, pulled: 6000 } });
    expect(Date.parse(idle.lastSuccessAt!)).toBeGreaterThanOrEqual(started - 1000);
  });

  it('backs off after failing to reach a peer, with the next attempt planned', async () => {
    const port = await freePort();
    lone = await startNode({
      id: 'a',
      env: { PEERS: `b=http://127.0.0.1:${port}`, SYNC_SECRET: TEST_SECRET, SYNC_INTERVAL_MS: '1000' },
    });
    const peer = await waitForPeer(lone.url, 'b', (p) => p.consecutiveFailures >= 1 && p.state === 'backing-off', {
      timeoutMs: 15_000,
    });
    const [run] = await runsOf(lone.url, 'b');
    expect(run).toMatchObject({
      trigger: 'schedule',
      ok: false,
      pulled: 0,
      pushed: 0,
      error: expect.stringMatching(/unreachable/),
    });
    expect(peer.lastResult).toMatchObject({ ok: false });
    expect(Date.parse(peer.nextRunAt!)).toBeGreaterThan(Date.parse(run.finishedAt));
    // A failing admin sync counts as well.
    expect((await syncWith(lone.url, 'b')).ok).toBe(false);
    expect((await peerOf(lone.url, 'b')).consecutiveFailures).toBeGreaterThanOrEqual(peer.consecutiveFailures + 1);
  });

  it('stands down after a 401 and leaves the peer alone', async () => {
    // b first, so that a's first scheduled attempt finds it listening.
    cluster = await startCluster(['b', 'a'], {
      env: { a: { SYNC_INTERVAL_MS: '50' }, b: { SYNC_SECRET: 'another-secret-for-b-0123456789abcdef' } },
    });
    const { a } = cluster.nodes;
    const stood = await waitForPeer(a.url, 'b', (p) => p.state === 'stood-down', { timeoutMs: 15_000 });
    expect(stood).toMatchObject({ nextRunAt: null, lastResult: { ok: false, errorKind: 'unauthorized' } });
    expect(await runsOf(a.url, 'b')).toEqual([
      expect.objectContaining({ trigger: 'schedule', ok: false, error: expect.stringMatching(/^unauthorized/) }),
    ]);
    // Twenty intervals later the scheduler has not tried again.
    await sleep(1000);
    expect(await runsOf(a.url, 'b')).toHaveLength(1);
    expect((await peerOf(a.url, 'b')).state).toBe('stood-down');
  });

  it('is scheduled while the scheduler plans the next run', async () => {
    cluster = await startCluster(['b', 'a'], { env: { a: { SYNC_INTERVAL_MS: '600000' } } });
    const { a } = cluster.nodes;
    const peer = await waitForPeer(a.url, 'b', (p) => p.state === 'scheduled');
    expect(Date.parse(peer.nextRunAt!)).toBeGreaterThan(Date.now() - 1000);
    expect(Date.parse(peer.nextRunAt!)).toBeLessThanOrEqual(Date.now() + 600_000 * 1.2 + 1000);
  });
});

describe('POST /admin/peers/:id/pause, /resume, /reset', () => {
  let cluster: Cluster;
  afterEach(() => cluster.stop());

  it('pauses a peer: skipped by the scheduler, refused by POST /admin/sync; resume brings it back', async () => {
    cluster = await startCluster(['a', 'b'], { env: { a: { SYNC_INTERVAL_MS: '100' } } });
    const { a } = cluster.nodes;
    await eventually(async () => expect((await runsOf(a.url, 'b')).length).toBeGreaterThan(0));
    const paused = await peerAction(a.url, 'b', 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: 'b', paused: true });
    await waitForPeer(a.url, 'b', (p) => p.state === 'paused');
    const runs = (await runsOf(a.url, 'b')).length;
    await sleep(1000);
    expect(await runsOf(a.url, 'b')).toHaveLength(runs);
    const refused = await callNode(a.url, 'POST', '/admin/sync', { body: { peers: ['b'] } });
    expect(refused.status).toBe(200);
    expect(refused.body.results).toEqual([expect.objectContaining({ peer: 'b', ok: false, error: 'paused' })]);
    expect(await runsOf(a.url, 'b')).toHaveLength(runs);

    const resumed = await peerAction(a.url, 'b', 'resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ id: 'b', paused: false });
    expect(resumed.body.state).not.toBe('paused');
    await eventually(async () => expect((await runsOf(a.url, 'b')).length).toBeGreaterThan(runs));
  });

  it('answers 404 naming the peer on every /admin/peers/:id route for an unknown peer', async () => {
    cluster = await startCluster(['a', 'b']);
    const { a } = cluster.nodes;
    for (const [method, path] of [
      ['POST', 'pause'],
      ['POST', 'resume'],
      ['POST', 'reset'],
      ['GET', 'runs'],
    ]) {
      const { status, body } = await callNode(a.url, method, `/admin/peers/zz/${path}`);
      expect({ path, status, message: body.message }).toEqual({ path, status: 404, message: expect.stringMatching(/zz/) });
    }
    expect((await callNode(a.url, 'GET', '/admin/peers/b/runs?limit=0')).status).toBe(400);
    expect((await callNode(a.url, 'GET', '/admin/peers/b/runs?limit=1001')).status).toBe(400);
  });

  it('resets a peer: both cursors forgotten, the next round compares everything and moves no body', async () => {
    cluster = await startCluster(['a', 'b']);
    const { a, b } = cluster.nodes;
    for (let i = 0; i < 5; i++) await callNode(a.url, 'POST', '/items', { body: { data: { i } } });
    for (let i = 0; i < 4; i++) await callNode(b.url, 'POST', '/items', { body: { data: { i } } });
    await olderTransactionsEnded();
    expect(await syncWith(a.url, 'b')).toMatchObject({ ok: true, pushed: 5, pulled: 4 });
    expect((await peerOf(a.url, 'b')).backlog).toEqual({ push: 0 });

    const reset = await peerAction(a.url, 'b', 'reset');
    expect(reset.status).toBe(200);
    const after = await peerOf(a.url, 'b');
    expect(after.checkpoint).toEqual({ remoteCursor: null, localCursor: null });
    expect(after.backlog.push).toBe(5);
    await olderTransactionsEnded();
    expect(await syncWith(a.url, 'b')).toMatchObject({ ok: true, pushed: 0, pulled: 0, conflicts: 0 });
    expect((await peerOf(a.url, 'b')).backlog).toEqual({ push: 0 });
  });
});
