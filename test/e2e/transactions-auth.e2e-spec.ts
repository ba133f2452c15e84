import request from 'supertest';
import { aPushEntry } from '../factories/items';
import { bearer, expectError } from '../support/http';
import { TestNode, startNode } from '../support/node';
import { signAs } from '../support/signing';

const SECRET = 's3cret-s3cret-padded-to-32-characters';
const TOKEN = 'tok-padded-to-32-characters-long';
const PATH = '/items/transactions';

/** The log routes on a node with SYNC_SECRET and API_TOKEN: signed peers or the bearer token. */
describe('/items/transactions with SYNC_SECRET and API_TOKEN set', () => {
  let node: TestNode;
  const api = () => request(node.url);

  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { SYNC_SECRET: SECRET, API_TOKEN: TOKEN, PEERS: 'b=http://127.0.0.1:9' } });
  });
  afterAll(() => node.stop());

  const get = (id: string) => api().get(`/items/${id}`).set(bearer(TOKEN));

  /** A PUT signed as `signer` over exactly the bytes sent. */
  function signedPut(body: unknown, signer = 'b', secret = SECRET) {
    const text = JSON.stringify(body);
    const headers = signAs(secret, signer, 'a', { method: 'PUT', path: PATH, body: text });
    return api().put(PATH).set(headers).set('Content-Type', 'application/json').send(text);
  }

  it('is 401 for an unsigned PUT without a token, and applies nothing', async () => {
    const entry = aPushEntry();
    expectError(
      await api()
        .put(PATH)
        .send({ node: 'b', entries: [entry] }),
      401,
      /peer signature .* or a bearer token/,
    );
    await get(entry.itemId).expect(404);
  });

  it('is 401 for an unsigned PUT with a wrong token', async () => {
    const entry = aPushEntry();
    expectError(
      await api()
        .put(PATH)
        .set(bearer('wrong'))
        .send({ node: 'b', entries: [entry] }),
      401,
      /bearer token/,
    );
    await get(entry.itemId).expect(404);
  });

  it('accepts an unsigned PUT with the API_TOKEN bearer', async () => {
    const entry = aPushEntry();
    const res = await api()
      .put(PATH)
      .set(bearer(TOKEN))
      .send({ node: 'b', entries: [entry] })
      .expect(200);
    expect(res.body).toEqual({ applied: 1, unchanged: 0, superseded: 0 });
    expect((await get(entry.itemId).expect(200)).body).toMatchObject({ data: entry.data, origin: 'b' });
  });

  it('accepts a PUT signed with SYNC_SECRET', async () => {
    const entry = aPushEntry();
    expect((await signedPut({ node: 'b', entries: [entry] }).expect(200)).body.applied).toBe(1);
    await get(entry.itemId).expect(200);
  });

  it('is 401 for a signature made with another secret', async () => {
    const entry = aPushEntry();
    expectError(
      await signedPut({ node: 'b', entries: [entry] }, 'b', 'other-secret-padded-to-32-characters'),
      401,
      /bad signature/,
    );
    await get(entry.itemId).expect(404);
  });

  it('is 400 when node differs from X-Sync-Node, and applies nothing', async () => {
    const entry = aPushEntry();
    expectError(await signedPut({ node: 'c', entries: [entry] }, 'b'), 400, /node "c" does not match X-Sync-Node "b"/);
    await get(entry.itemId).expect(404);
  });

  it('serves GET /items/transactions to the bearer token, not to anonymous callers', async () => {
    expectError(await api().get(PATH), 401, /bearer token/);
    const page = await api().get(PATH).set(bearer(TOKEN)).expect(200);
    expect(page.body).toMatchObject({ node: 'a', hasMore: expect.any(Boolean), cursor: expect.any(String) });
  });
});
