import request from 'supertest';
import { aPushEntry } from '../factories/items';
import { Cluster, signedByTest, startCluster, testSender } from '../support/cluster';
import { expectError } from '../support/http';
import { TestNode, startNode } from '../support/node';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END_OF_TIME = '9999-12-31T23:59:59.999Z';
const at = (ms: number) => new Date(ms).toISOString();

describe('MAX_FUTURE_MS on a push', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a' });
  });
  afterAll(() => node?.stop());

  it('refuses a version stamped more than a day (the default) ahead with a 400, applying nothing of the batch', async () => {
    const near = aPushEntry({ updatedAt: at(Date.now() + HOUR) });
    const far = aPushEntry({ updatedAt: at(Date.now() + 2 * DAY) });
    const res = await request(node.url)
      .put('/items/transactions')
      .send({ node: 'b', entries: [near, far] });
    expectError(res, 400, /entries\[1\].*ahead of this node's clock \(MAX_FUTURE_MS 86400000\)/);
    await request(node.url).get(`/items/${near.itemId}`).expect(404);
    await request(node.url)
      .put('/items/transactions')
      .send({ node: 'b', entries: [near] })
      .expect(200);
  });
});

describe('MAX_FUTURE_MS on a pull', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(['a', 'b'], { env: { b: { MAX_FUTURE_MS: String(365 * DAY) } } });
  });
  afterAll(() => cluster?.stop());

  it("leaves such a version out and reports it in the round's result", async () => {
    const { b } = cluster.nodes;
    const far = aPushEntry({ origin: 'c', updatedAt: at(Date.now() + 30 * DAY) });
    const fine = aPushEntry({ origin: 'c' });
    const body = JSON.stringify({ node: testSender(b), entries: [far, fine] });
    await request(b.url)
      .put('/items/transactions')
      .set(signedByTest(b, 'PUT', '/items/transactions', body))
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(200);
    const [result] = await cluster.sync('a');
    expect(result).toMatchObject({ ok: true, pulled: 1, refused: 1, error: expect.stringMatching(/MAX_FUTURE_MS/) });
    await request(cluster.nodes.a.url).get(`/items/${far.itemId}`).expect(404);
    await request(cluster.nodes.a.url).get(`/items/${fine.itemId}`).expect(200);
  });
});

describe('a local write at the end of time', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { MAX_FUTURE_MS: '253402300799999' } });
  });
  afterAll(() => node?.stop());

  it('is a 409 when no later stamp exists, never a 500', async () => {
    const last = aPushEntry({ origin: 'zz', updatedAt: END_OF_TIME });
    await request(node.url)
      .put('/items/transactions')
      .send({ node: 'zz', entries: [last] })
      .expect(200);
    expectError(
      await request(node.url)
        .put(`/items/${last.itemId}`)
        .send({ data: { x: 1 } }),
      409,
      /end of time/,
    );
    expectError(await request(node.url).delete(`/items/${last.itemId}`), 409, /end of time/);
    expect((await request(node.url).get(`/items/${last.itemId}`).expect(200)).body.fingerprint).toBe(last.fingerprint);
  });
});
