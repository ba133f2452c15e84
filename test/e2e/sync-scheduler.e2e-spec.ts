import request from 'supertest';
import { Cluster, startCluster } from '../support/cluster';
import { eventually } from '../support/http';
import { metricOf } from '../support/metrics';

describe('the scheduler', () => {
  let cluster: Cluster;
  afterEach(() => cluster?.stop());

  it('reconciles with its peers on its own, every SYNC_INTERVAL_MS', async () => {
    cluster = await startCluster(['a', 'b'], { env: { a: { SYNC_INTERVAL_MS: '100' } } });
    const { a, b } = cluster.nodes;
    const onB = (
      await request(b.url)
        .post('/items')
        .send({ data: { from: 'b' } })
        .expect(201)
    ).body;
    const onA = (
      await request(a.url)
        .post('/items')
        .send({ data: { from: 'a' } })
        .expect(201)
    ).body;
    await eventually(async () => {
      await request(a.url).get(`/items/${onB.id}`).expect(200);
      await request(b.url).get(`/items/${onA.id}`).expect(200);
      // The item reaches b inside the round; the round's result is recorded just after.
      expect(await metricOf(a.url, 'logsync_syncs_total', { peer: 'b', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    }, 15_000);
    expect(await metricOf(b.url, 'logsync_syncs_total', { peer: 'a', outcome: 'ok' })).toBe(0);
  });

  it('stands down for a peer that refuses its credentials instead of retrying', async () => {
    cluster = await startCluster(['a', 'b'], {
      env: { a: { SYNC_INTERVAL_MS: '50' }, b: { SYNC_SECRET: 'a-different-secret-padded-to-32-chars' } },
    });
    const { a } = cluster.nodes;
    const refused = () => metricOf(a.url, 'logsync_syncs_total', { peer: 'b', outcome: 'unauthorized' });
    await eventually(async () => expect(await refused()).toBe(1), 15_000);
    // Twenty intervals later it has still tried only once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await refused()).toBe(1);
    const peers = (await request(a.url).get('/admin/peers').expect(200)).body.peers;
    expect(peers[0].lastResult).toMatchObject({ ok: false, errorKind: 'unauthorized' });
  });
});
