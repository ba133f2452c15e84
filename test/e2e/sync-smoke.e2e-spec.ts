import request from 'supertest';
import { Cluster, startCluster } from '../support/cluster';

describe('two nodes', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(['a', 'b']);
  });
  afterAll(() => cluster.stop());

  it('converge both ways and then have nothing to do', async () => {
    const { a, b } = cluster.nodes;
    const onA = await request(a.url)
      .post('/items')
      .send({ data: { from: 'a' } })
      .expect(201);
    const onB = await request(b.url)
      .post('/items')
      .send({ data: { from: 'b' } })
      .expect(201);
    const [first] = await cluster.sync('a');
    expect(first).toMatchObject({ peer: 'b', ok: true, pulled: 1, pushed: 1, conflicts: 0 });
    await request(b.url).get(`/items/${onA.body.id}`).expect(200);
    await request(a.url).get(`/items/${onB.body.id}`).expect(200);
    const [second] = await cluster.sync('a');
    expect(second).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
    const [fromB] = await cluster.sync('b');
    expect(fromB).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
  });
});
