import { connect } from 'node:net';
import request from 'supertest';
import { signedHeaders } from '../../src/auth/signature';
import { aPushEntry } from '../factories/items';
import { bearer, expectError } from '../support/http';
import { TestNode, freePort, startNode } from '../support/node';

const SECRET = 'trust-test-secret-of-at-least-32-characters';
const TOKEN = 'trust-test-token-of-at-least-32-characters';
const PATH = '/items/transactions';
const JSON_TYPE = { 'Content-Type': 'application/json' };

let lastAt = 0;
/** Signed as `sender` for node `receiver`, never twice in one millisecond. */
function signed(method: string, path: string, body: string, sender = 'b', receiver = 'a', secret = SECRET) {
  lastAt = Math.max(Date.now(), lastAt + 1);
  return signedHeaders(secret, { method, path, body, sender, receiver }, lastAt);
}

describe('authentication before anything else', () => {
  let a: TestNode;
  let b: TestNode;
  const api = () => request(a.url);
  const push = (body: string, headers: Record<string, string>) => api().put(PATH).set(headers).send(body);

  beforeAll(async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    a = await startNode({
      id: 'a',
      port: portA,
      env: { SYNC_SECRET: SECRET, API_TOKEN: TOKEN, PEERS: `b=http://127.0.0.1:${portB}` },
    });
    b = await startNode({ id: 'b', port: portB, env: { SYNC_SECRET: SECRET, PEERS: `a=http://127.0.0.1:${portA}` } });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('refuses a sender that is not in PEERS, and a request signed for another receiver', async () => {
    const body = JSON.stringify({ node: 'c', entries: [] });
    expectError(await push(body, { ...signed('PUT', PATH, body, 'c'), ...JSON_TYPE }), 401, /"c" is not in this node's PEERS/);
    const forB = JSON.stringify({ node: 'b', entries: [] });
    expectError(await push(forB, { ...signed('PUT', PATH, forB, 'b', 'z'), ...JSON_TYPE }), 401, /bad signature/);
    await push(forB, { ...signed('PUT', PATH, forB), ...JSON_TYPE }).expect(200);
  });

  it('answers 401, never 400, 413 or 415, to a request that fails authentication', async () => {
    const bad = { ...JSON_TYPE, Authorization: 'Bearer wrong' };
    expectError(await api().post('/items').set(bad).send('{"data": {'), 401, /bearer/);
    expectError(
      await api()
        .post('/items')
        .set(bad)
        .send(JSON.stringify({ data: { s: 'x'.repeat(3 << 20) } })),
      401,
      /bearer/,
    );
    expectError(await api().post('/items').set({ 'Content-Type': 'text/plain' }).send('hello'), 401, /bearer/);
    const huge = JSON.stringify({ node: 'b', entries: [], pad: 'x'.repeat(17 << 20) });
    const forged = signed('PUT', PATH, huge, 'b', 'a', 'not-the-secret-but-also-32-characters-long');
    expectError(await push(huge, { ...forged, ...JSON_TYPE }), 401, /bad signature/);
    expectError(await push('{"node": "b", "entries": [', { ...JSON_TYPE, 'X-Sync-Signature': 'f'.repeat(64) }), 401, /./);
  });

  it('refuses, unread, a signed-looking request announcing a body far past the route limit', async () => {
    // Only the headers are sent: a node that waited to hash the announced 64 MiB would never answer.
    const { port } = new URL(a.url);
    const headers = { ...signed('PUT', PATH, ''), ...JSON_TYPE, 'Content-Length': String(64 << 20), Host: `127.0.0.1:${port}` };
    const head = [`PUT ${PATH} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''];
    const socket = connect(Number(port), '127.0.0.1');
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('utf8');
        if (text.includes('\r\n\r\n')) resolve(text);
      });
      socket.on('error', reject);
      socket.write(head.join('\r\n'));
    }).finally(() => socket.destroy());
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).not.toMatch(/^HTTP\/1\.1 413 /);
  }, 15_000);

  it('answers 400, 413 and 415 to the same requests once authenticated', async () => {
    expectError(
      await api()
        .post('/items')
        .set({ ...JSON_TYPE, ...bearer(TOKEN) })
        .send('{"data": {'),
      400,
      /not valid JSON/,
    );
    const big = JSON.stringify({ data: { s: 'x'.repeat(3 << 20) } });
    expectError(
      await api()
        .post('/items')
        .set({ ...JSON_TYPE, ...bearer(TOKEN) })
        .send(big),
      413,
      /limit/,
    );
    const huge = JSON.stringify({ node: 'b', entries: [], pad: 'x'.repeat(17 << 20) });
    expectError(await push(huge, { ...signed('PUT', PATH, huge), ...JSON_TYPE }), 413, /16777216 byte limit/);
  });

  it('checks a signature over the raw bytes whatever the content type: a signed text/plain push is a 415', async () => {
    const body = JSON.stringify({ node: 'b', entries: [aPushEntry()] });
    expectError(await push(body, { ...signed('PUT', PATH, body), 'Content-Type': 'text/plain' }), 415, /application\/json/);
    const tampered = { ...signed('PUT', PATH, body), 'Content-Type': 'text/plain' };
    expectError(await push(`${body} `, tampered), 401, /bad signature/);
  });

  it("takes the pushed versions' source from the signature, and gives a bearer push none", async () => {
    const fromB = aPushEntry({ origin: 'b' });
    const byOperator = aPushEntry({ origin: 'b' });
    const signedBody = JSON.stringify({ node: 'b', entries: [fromB] });
    await push(signedBody, { ...signed('PUT', PATH, signedBody), ...JSON_TYPE }).expect(200);
    await push(JSON.stringify({ node: 'b', entries: [byOperator] }), { ...bearer(TOKEN), ...JSON_TYPE }).expect(200);
    const [result] = (await api().post('/admin/sync').set(bearer(TOKEN)).expect(200)).body.results;
    expect(result).toMatchObject({ peer: 'b', ok: true });
    // What came from b is never offered back to b; what an operator pushed is.
    await request(b.url).get(`/items/${fromB.itemId}`).expect(404);
    expect((await request(b.url).get(`/items/${byOperator.itemId}`).expect(200)).body.fingerprint).toBe(byOperator.fingerprint);
  });

  // The twin shares nothing with the first app but the database: it stands for another process, or a restart.
  it('refuses a replay in another process of the node, which also covers a restart', async () => {
    const path = `${PATH}?limit=1`;
    const headers = signed('GET', path, '');
    await api().get(path).set(headers).expect(200);
    const env = { SYNC_SECRET: SECRET, API_TOKEN: TOKEN, PEERS: 'b=http://127.0.0.1:9' };
    const twin = await startNode({ id: 'a', database: a.database, env });
    try {
      expectError(await request(twin.url).get(path).set(headers), 401, /replay/);
    } finally {
      await twin.stop({ keepDatabase: true });
    }
  });
});

describe('a node without API_TOKEN', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { SYNC_SECRET: SECRET, PEERS: 'b=https://sync:hunter2@127.0.0.1:9' } });
  });
  afterAll(() => node?.stop());

  it('answers 403 to a Host that is not loopback, on every route', async () => {
    for (const host of ['evil.example', 'evil.example:80', '10.0.0.1', '[fe80::1]:3000']) {
      expectError(await request(node.url).get('/items').set('Host', host), 403, /loopback/);
      expectError(await request(node.url).get('/health').set('Host', host), 403, /loopback/);
      expectError(await request(node.url).get('/openapi.json').set('Host', host), 403, /loopback/);
      expectError(await request(node.url).get('/status').set('Host', host), 403, /loopback/);
    }
    const port = new URL(node.url).port;
    for (const host of ['localhost', `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      await request(node.url).get('/items').set('Host', host).expect(200);
    }
  });

  it('never shows the credentials of a PEERS url in /admin/peers or a sync error', async () => {
    const peers = await request(node.url).get('/admin/peers').expect(200);
    expect(peers.body.peers[0].url).toBe('https://***@127.0.0.1:9');
    const sync = await request(node.url).post('/admin/sync').expect(200);
    expect(sync.body.results[0]).toMatchObject({ ok: false, error: expect.stringContaining('***@127.0.0.1:9') });
    expect(JSON.stringify([peers.body, sync.body])).not.toContain('hunter2');
  });
});
