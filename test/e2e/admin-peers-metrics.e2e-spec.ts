import { callNode, syncWith } from '../support/bulk-items';
import { Cluster, olderTransactionsEnded, startCluster } from '../support/cluster';
import { eventually } from '../support/http';
import { metricSample, scrapeMetrics } from '../support/metrics';
import { peerAction } from '../support/peers';

async function sample(url: string, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  return metricSample(await scrapeMetrics(url), name, labels);
}

async function put(url: string, id: string, data: Record<string, unknown>): Promise<void> {
  const { status } = await callNode(url, 'PUT', `/items/${id}`, { body: { data } });
  if (status !== 200 && status !== 201) throw new Error(`PUT ${id}: ${status}`);
}

describe('GET /metrics: peer jobs and open conflicts', () => {
  let cluster: Cluster;
  afterEach(() => cluster.stop());

  it('exports per peer the backlog, seconds since the last success and the state, and the open conflicts', async () => {
    cluster = await startCluster(['a', 'b']);
    const { a, b } = cluster.nodes;
    const id = '6f1c2a4e-1b7d-4c59-9a57-2f0e7b8f1c2d';
    await put(a.url, id, { v: 'first' });
    await put(a.url, `${id.slice(0, -1)}e`, { v: 'other' });
    await eventually(async () => expect(await sample(a.url, 'logsync_peer_backlog', { peer: 'b' })).toBe(2));
    expect(await sample(a.url, 'logsync_peer_seconds_since_last_success', { peer: 'b' })).toBeUndefined();
    expect(await sample(a.url, 'logsync_peer_state', { peer: 'b', state: 'idle' })).toBe(1);
    expect(await sample(a.url, 'logsync_peer_state', { peer: 'b', state: 'paused' })).toBe(0);
    expect(await sample(a.url, 'logsync_conflicts_open')).toBe(0);

    await olderTransactionsEnded();
    expect((await syncWith(a.url, 'b')).ok).toBe(true);
    await put(a.url, id, { v: 'on a' });
    await put(b.url, id, { v: 'on b' });
    await olderTransactionsEnded();
    expect(await syncWith(a.url, 'b')).toMatchObject({ ok: true, conflicts: 1 });
    expect(await sample(a.url, 'logsync_peer_backlog', { peer: 'b' })).toBe(0);
    const since = await sample(a.url, 'logsync_peer_seconds_since_last_success', { peer: 'b' });
    expect(since).toBeGreaterThanOrEqual(0);
    expect(since).toBeLessThan(60);
    expect(await sample(a.url, 'logsync_conflicts_open')).toBe(1);

    expect((await peerAction(a.url, 'b', 'pause')).status).toBe(200);
    expect(await sample(a.url, 'logsync_peer_state', { peer: 'b', state: 'paused' })).toBe(1);
    expect(await sample(a.url, 'logsync_peer_state', { peer: 'b', state: 'idle' })).toBe(0);
  });
});
