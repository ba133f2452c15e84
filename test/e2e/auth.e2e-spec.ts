import request, { Response } from 'supertest';
import { Agent } from 'undici';
import { REFUSAL, Refusal } from '../../src/common/refusal';
import { encodeCursor } from '../../src/transactions/log-cursor';
import { PeerClient, PeerError } from '../../src/peers/peer-client';
import { TestNode, startNode } from '../support/node';
import { signAs, signingNow } from '../support/signing';

jest.setTimeout(60_000);

const SECRET = 'test-secret-123-padded-to-32-characters';
const TOKEN = 'token-abc-padded-to-32-characters';
const BEARER = { Authorization: `Bearer ${TOKEN}` };
const LOG_PATH = '/items/transactions?limit=5';
const MINUTE = 60_000;
/** The senders these tests sign as; a node refuses any id not in its PEERS. */
const PEERS = 'b=http://127.0.0.1:9,x=http://127.0.0.1:9,y=http://127.0.0.1:9';

/** The X-Sync-* headers for `method path body` as node `from`, signed with `secret` at `nowMs`. */
function signed(method: string, path: string, body = '', options: { secret?: string; from?: string; nowMs?: number } = {}) {
  return signAs(options.secret ?? SECRET, options.from ?? 'b', 'a', { method, path, body }, options.nowMs);
}

/** A 401 in the error shape of API.md, its message matching `message`, its `reason` the refusal. */
function expectUnauthorized(res: Response, reason: Refusal, message: RegExp = /./): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status: 401,
    body: expect.objectContaining({
      statusCode: 401,
      error: expect.any(String),
      message: expect.stringMatching(message),
      reason,
    }),
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

function pushBody(node: string): string {
  return JSON.stringify({ node, entries: [] });
}

describe('authentication on a node with SYNC_SECRET and API_TOKEN', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { SYNC_SECRET: SECRET, API_TOKEN: TOKEN, PEERS } });
  });
  afterAll(() => node?.stop());

  describe('peer routes', () => {
    it('accept a correctly signed request, the path signed with its query string', async () => {
      const res = await request(node.url).get(LOG_PATH).set(signed('GET', LOG_PATH)).expect(200);
      expect(res.body).toMatchObject({ node: 'a', entries: [], hasMore: false });
    });

    it('refuse the same signed headers sent a second time (replay)', async () => {
      const headers = signed('GET', LOG_PATH);
      await request(node.url).get(LOG_PATH).set(headers).expect(200);
      expectUnauthorized(await request(node.url).get(LOG_PATH).set(headers), REFUSAL.replay, /replay/);
    });

    it('refuse an unsigned request', async () => {
      expectUnauthorized(await request(node.url).get(LOG_PATH), REFUSAL.missingCredentials);
    });

    it('refuse incomplete signature headers', async () => {
      const { 'X-Sync-Signature': signature, 'X-Sync-Timestamp': timestamp } = signed('GET', LOG_PATH);
      expectUnauthorized(await request(node.url).get(LOG_PATH).set({ 'X-Sync-Signature': signature }), REFUSAL.missingSignature);
      expectUnauthorized(
        await request(node.url).get(LOG_PATH).set({ 'X-Sync-Signature': signature, 'X-Sync-Timestamp': timestamp }),
        REFUSAL.missingSignature,
      );
      expectUnauthorized(
        await request(node.url)
          .get(LOG_PATH)
          .set({ ...signed('GET', LOG_PATH), 'X-Sync-Timestamp': 'yesterday' }),
        REFUSAL.missingSignature,
      );
    });

    it('refuse a wrong signature', async () => {
      const headers = signed('GET', LOG_PATH);
      const wrong = headers['X-Sync-Signature'].replace(/^./, (c) => (c === '0' ? '1' : '0'));
      expectUnauthorized(
        await request(node.url)
          .get(LOG_PATH)
          .set({ ...headers, 'X-Sync-Signature': wrong }),
        REFUSAL.badSignature,
      );
      expectUnauthorized(
        await request(node.url)
          .get(LOG_PATH)
          .set({ ...headers, 'X-Sync-Signature': 'garbage' }),
        REFUSAL.badSignature,
      );
    });

    it('refuse a signature made with another secret', async () => {
      expectUnauthorized(
        await request(node.url)
          .get(LOG_PATH)
          .set(signed('GET', LOG_PATH, '', { secret: 'not-the-secret' })),
        REFUSAL.badSignature,
      );
    });

    it('refuse a signature over the path without its query string', async () => {
      expectUnauthorized(await request(node.url).get(LOG_PATH).set(signed('GET', '/items/transactions')), REFUSAL.badSignature);
    });

    it('refuse a timestamp more than 5 minutes from the node clock, saying clock skew', async () => {
      for (const offset of [-6 * MINUTE, 6 * MINUTE]) {
        const headers = signed('GET', LOG_PATH, '', { nowMs: signingNow() + offset });
        expectUnauthorized(await request(node.url).get(LOG_PATH).set(headers), REFUSAL.clockSkew, /clock skew/);
      }
    });

    it('accept a timestamp within 5 minutes either way', async () => {
      for (const offset of [-4 * MINUTE, 4 * MINUTE]) {
        await request(node.url)
          .get(LOG_PATH)
          .set(signed('GET', LOG_PATH, '', { nowMs: signingNow() + offset }))
          .expect(200);
      }
    });

    it('accept a signed push, and refuse one whose body was changed after signing', async () => {
      const send = (headers: Record<string, string>, body: string) =>
        request(node.url).put('/items/transactions').set(headers).set('Content-Type', 'application/json').send(body);
      const pushed = await send(signed('PUT', '/items/transactions', pushBody('b')), pushBody('b')).expect(200);
      expect(pushed.body).toEqual({ applied: 0, unchanged: 0, superseded: 0 });
      const tampered = await send(signed('PUT', '/items/transactions', pushBody('b')), pushBody('b').replace('[]', '[ ]'));
      expectUnauthorized(tampered, REFUSAL.badSignature, /signature/);
    });

    it('answer 400 to a signed push whose body node is not X-Sync-Node', async () => {
      const body = pushBody('c');
      const res = await request(node.url)
        .put('/items/transactions')
        .set(signed('PUT', '/items/transactions', body, { from: 'b' }))
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: expect.any(String),
        message: expect.stringMatching(/X-Sync-Node/),
      });
    });

    it('accept a signed POST /items/batch', async () => {
      const body = JSON.stringify({ ids: [] });
      await request(node.url)
        .post('/items/batch')
        .set(signed('POST', '/items/batch', body))
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(200, { items: [], missing: [] });
    });

    it('accept the API token bearer instead of a signature', async () => {
      await request(node.url).get(LOG_PATH).set(BEARER).expect(200);
      expectUnauthorized(
        await request(node.url).get(LOG_PATH).set({ Authorization: 'Bearer not-the-token' }),
        REFUSAL.missingCredentials,
      );
    });
  });

  describe('other routes', () => {
    it('answer /health without any authentication', async () => {
      await request(node.url).get('/health').expect(200);
    });

    it('need the bearer token on the items API', async () => {
      expectUnauthorized(await request(node.url).get('/items'), REFUSAL.missingCredentials, /bearer/i);
      expectUnauthorized(
        await request(node.url)
          .post('/items')
          .send({ data: { x: 1 } }),
        REFUSAL.missingCredentials,
      );
      expectUnauthorized(
        await request(node.url)
          .get('/items')
          .set({ Authorization: `Bearer ${TOKEN}x` }),
        REFUSAL.missingCredentials,
      );
      expectUnauthorized(await request(node.url).get('/items').set({ Authorization: TOKEN }), REFUSAL.missingCredentials);
      const created = await request(node.url)
        .post('/items')
        .set(BEARER)
        .send({ data: { x: 1 } })
        .expect(201);
      await request(node.url).get(`/items/${created.body.id}`).set(BEARER).expect(200);
      await request(node.url).get('/items').set(BEARER).expect(200);
    });

    it('do not take a peer signature for the bearer token', async () => {
      expectUnauthorized(await request(node.url).get('/items').set(signed('GET', '/items')), REFUSAL.missingCredentials);
      const body = JSON.stringify({ data: { x: 1 } });
      const post = await request(node.url)
        .post('/items')
        .set(signed('POST', '/items', body))
        .set('Content-Type', 'application/json')
        .send(body);
      expectUnauthorized(post, REFUSAL.missingCredentials);
    });
  });
});

describe('authentication on a node with neither SYNC_SECRET nor API_TOKEN', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a' });
  });
  afterAll(() => node?.stop());

  // A documented choice: such a node refuses any listen address but loopback (see the config tests).
  it('leaves the peer routes and the items API open', async () => {
    await request(node.url).get(LOG_PATH).expect(200);
    await request(node.url).get('/items').expect(200);
  });
});

describe('authentication on a node with SYNC_SECRET but no API_TOKEN', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { SYNC_SECRET: SECRET, PEERS } });
  });
  afterAll(() => node?.stop());

  it('needs a signature on the log routes', async () => {
    expectUnauthorized(await request(node.url).get(LOG_PATH), REFUSAL.missingCredentials, /signature/);
    await request(node.url).get(LOG_PATH).set(signed('GET', LOG_PATH)).expect(200);
  });

  it('serves POST /items/batch to clients like the rest of the items API, and to signed peers', async () => {
    const body = JSON.stringify({ ids: [] });
    await request(node.url).post('/items/batch').send({ ids: [] }).expect(200);
    await request(node.url)
      .post('/items/batch')
      .set(signed('POST', '/items/batch', body))
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(200);
  });

  it('takes the same request from two nodes signed in the same millisecond: the client makes each one unique', async () => {
    const agent = new Agent();
    const frozenAt = Date.now();
    const target = { id: 'a', url: node.url, shownUrl: node.url };
    const clientOf = (id: string) => new PeerClient(target, id, SECRET, () => frozenAt, agent);
    try {
      const pages = await Promise.all([clientOf('x').readLog(undefined, 10), clientOf('y').readLog(undefined, 10)]);
      expect(pages.map((page) => page.node)).toEqual(['a', 'a']);
    } finally {
      await agent.close();
    }
  });

  it('refuses a badly signed POST /items/batch rather than treating it as a client', async () => {
    const body = JSON.stringify({ ids: [] });
    const headers = signed('POST', '/items/batch', body, { secret: 'another-secret-padded-to-32-characters' });
    expectUnauthorized(
      await request(node.url).post('/items/batch').set(headers).set('Content-Type', 'application/json').send(body),
      REFUSAL.badSignature,
    );
  });

  it('tells the peer client why it was refused, from the reason field: clock skew, foreign cursor', async () => {
    const agent = new Agent();
    const late = new PeerClient(
      { id: 'a', url: node.url, shownUrl: node.url },
      'b',
      SECRET,
      () => Date.now() + 10 * MINUTE,
      agent,
    );
    const onTime = new PeerClient({ id: 'a', url: node.url, shownUrl: node.url }, 'b', SECRET, () => Date.now(), agent);
    const foreign = encodeCursor('00000000-0000-4000-8000-000000000000', { xid: '1', seq: '1' });
    try {
      await expect(late.readLog(undefined, 1)).rejects.toMatchObject({ kind: 'clock-skew', status: 401 });
      await expect(onTime.readLog(foreign, 1)).rejects.toMatchObject({ kind: 'foreign-cursor', status: 400 });
      await expect(onTime.readLog('not-a-cursor', 1)).rejects.toBeInstanceOf(PeerError);
    } finally {
      await agent.close();
    }
  });
});
