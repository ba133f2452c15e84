import { FakePeer, httpPeer, silentPeer } from '../support/fake-peer';
import { callNode, seedItems } from '../support/bulk-items';
import { TestNode, freePort, startNode } from '../support/node';
import { FaultProxy } from '../support/proxy';
import { TARGET_REQUEST_BYTES } from '../../src/core/limits';

/**
 * A node keeps answering whatever its peers do: many rounds at once never
 * exhaust its database pool, and a peer that is silent, endless, oversized
 * or stuck on one cursor fails its round within PEER_TIMEOUT_MS.
 */
const SECRET = 'bounds-test-secret-of-32-characters!';
const PEER_TIMEOUT_MS = 2000;
/** Longer than any answer the node owes here: a call that takes this long is a hang. */
const HANG_MS = 30_000;

interface Result {
  peer: string;
  ok: boolean;
  error?: string;
}

describe('a node with misbehaving peers', () => {
  const peers: FakePeer[] = [];
  const nodes: TestNode[] = [];

  async function nodeWith(fakes: FakePeer[]): Promise<TestNode> {
    peers.push(...fakes);
    const list = fakes.map((fake, i) => `p${i}=${fake.url}`).join(',');
    const node = await startNode({
      id: 'a',
      env: { PEERS: list, SYNC_SECRET: SECRET, PEER_TIMEOUT_MS: String(PEER_TIMEOUT_MS) },
    });
    nodes.push(node);
    return node;
  }

  async function syncAll(node: TestNode): Promise<Result[]> {
    const { status, body } = await callNode<{ results: Result[] }>(node.url, 'POST', '/admin/sync', { timeoutMs: HANG_MS });
    expect(status).toBe(200);
    return body.results;
  }

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((node) => node.stop()));
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
  });

  it('syncs 12 silent peers at once and still answers /health and GET /items meanwhile', async () => {
    const node = await nodeWith(await Promise.all(Array.from({ length: 12 }, () => silentPeer())));
    await callNode(node.url, 'POST', '/items', { body: { data: { kept: true } } });

    const syncing = syncAll(node);
    // Every round is under way (holding its peer lock) before the probes go out.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const health = await callNode(node.url, 'GET', '/health', { timeoutMs: HANG_MS });
    const items = await callNode(node.url, 'GET', '/items', { timeoutMs: HANG_MS });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(items.status).toBe(200);
    expect(items.body.items.map((item: { data: unknown }) => item.data)).toEqual([{ kept: true }]);

    const results = await syncing;
    expect(results).toHaveLength(12);
    for (const result of results) {
      expect(result).toMatchObject({
        ok: false,
        error: expect.stringContaining(`no complete answer within ${PEER_TIMEOUT_MS} ms`),
      });
    }
    expect(peers.every((peer) => peer.connections() > 0)).toBe(true);
  });

  it('fails the round of a peer that sends its headers and then trickles its body forever', async () => {
    const timers: NodeJS.Timeout[] = [];
    const node = await nodeWith([
      await httpPeer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"node":"p0","entries":[');
        timers.push(setInterval(() => res.write(' '), 100));
      }),
    ]);
    try {
      const [result] = await syncAll(node);
      expect(result).toMatchObject({
        ok: false,
        error: expect.stringContaining(`no complete answer within ${PEER_TIMEOUT_MS} ms`),
      });
    } finally {
      timers.forEach(clearInterval);
    }
  });

  it('fails the round of a peer whose answer passes the size cap, without reading it all', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const node = await nodeWith([
      await httpPeer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"node":"p0","entries":[');
        const more = () => {
          // 64 MiB of spaces at most: the node must stop reading long before.
          while (sent < 64 && res.write(chunk)) sent++;
          if (sent < 64) res.once('drain', more);
          else res.end(']}');
        };
        more();
      }),
    ]);
    const [result] = await syncAll(node);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/answer larger than \d+ bytes/) });
  });

  it('pulls items whose bodies together pass the size cap of one answer, a smaller batch at a time', async () => {
    const TOKEN = 'bounds-test-token-of-32-characters!!';
    const portA = await freePort();
    const b = await startNode({ id: 'b', env: { API_TOKEN: TOKEN, PEERS: `a=http://127.0.0.1:${portA}`, SYNC_SECRET: SECRET } });
    nodes.push(b);
    // 60 items of about 400 kB: one batch of them is some 24 MiB, past the 17 MiB a peer's answer may weigh.
    await seedItems(b.url, TOKEN, 'b', 60, { batch: 20, bytes: 400_000 });
    const a = await startNode({ id: 'a', port: portA, env: { PEERS: `b=${b.url}`, SYNC_SECRET: SECRET } });
    nodes.push(a);
    const { body } = await callNode<{ results: Result[] }>(a.url, 'POST', '/admin/sync', { timeoutMs: 60_000 });
    expect(body.results).toEqual([expect.objectContaining({ peer: 'b', ok: true, pulled: 60 })]);
  });

  it('pushes items whose bodies together pass the target of one request, in requests within it', async () => {
    const TOKEN = 'bounds-test-token-of-32-characters!!';
    const portB = await freePort();
    const proxy = new FaultProxy(`http://127.0.0.1:${portB}`);
    await proxy.start();
    try {
      const a = await startNode({ id: 'a', env: { API_TOKEN: TOKEN, PEERS: `b=${proxy.url}`, SYNC_SECRET: SECRET } });
      nodes.push(a);
      // 30 items of about 400 kB: some 12 MB of bodies, three requests at TARGET_REQUEST_BYTES (4 MiB).
      await seedItems(a.url, TOKEN, 'a', 30, { batch: 10, bytes: 400_000 });
      nodes.push(await startNode({ id: 'b', port: portB, env: { PEERS: `a=${a.url}`, SYNC_SECRET: SECRET } }));
      const { body } = await callNode<{ results: Result[] }>(a.url, 'POST', '/admin/sync', { token: TOKEN, timeoutMs: 60_000 });
      expect(body.results).toEqual([expect.objectContaining({ peer: 'b', ok: true, pushed: 30 })]);
      const pushes = proxy.seen.filter((r) => r.method === 'PUT' && r.path.startsWith('/items/transactions'));
      expect(pushes.length).toBeGreaterThanOrEqual(3);
      // Each request: its bodies within the target, and a few hundred bytes of fields per entry.
      for (const push of pushes) expect(push.bytes).toBeLessThanOrEqual(TARGET_REQUEST_BYTES + 30 * 300);
    } finally {
      await proxy.stop();
    }
  });

  it('fails the round of a peer whose log pages say hasMore but never move the cursor', async () => {
    let pages = 0;
    const node = await nodeWith([
      await httpPeer((req, res) => {
        if (req.url?.startsWith('/items/transactions')) pages++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ node: 'p0', entries: [], cursor: 'stuck', hasMore: true, remaining: 0 }));
      }),
    ]);
    const [result] = await syncAll(node);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('more to come but no new cursor') });
    expect(pages).toBe(2);
  });
});
