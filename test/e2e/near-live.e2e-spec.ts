import { callNode, seedItems } from '../support/bulk-items';
import { Cluster, startCluster } from '../support/cluster';
import { eventually } from '../support/http';
import { TestNode } from '../support/node';
import { PEERS_TEST_TOKEN as TOKEN, peerAction, runsOf, sleep, waitForPeer } from '../support/peers';

/**
 * Near-live sync (SYNC_DEBOUNCE_MS): a change to a node's log starts a round
 * with every other peer, never the one it came from. The scheduler is off
 * (SYNC_INTERVAL_MS=0) throughout, so every round seen here is near-live.
 */
const CHAIN = { a: ['b'], b: ['a', 'c'], c: ['b'] };
const live = (debounceMs: string) => ({ SYNC_DEBOUNCE_MS: debounceMs, SYNC_INTERVAL_MS: '0' });

async function write(node: TestNode, data: Record<string, unknown>, token?: string): Promise<string> {
  const { status, body } = await callNode(node.url, 'POST', '/items', { token, body: { data } });
  if (status !== 201) throw new Error(`POST /items on ${node.id}: ${status} ${JSON.stringify(body)}`);
  return body.id;
}

async function readable(node: TestNode, id: string, token?: string): Promise<boolean> {
  return (await callNode(node.url, 'GET', `/items/${id}`, { token })).status === 200;
}

describe('near-live sync', () => {
  let cluster: Cluster;
  afterEach(() => cluster.stop());

  it('carries a write on a to c through b within 2 s, and never back to where it came from', async () => {
    cluster = await startCluster(['a', 'b', 'c'], { links: CHAIN, env: { a: live('500'), b: live('500'), c: live('500') } });
    const { a, b, c } = cluster.nodes;
    const id = await write(a, { hello: 'chain' });
    const written = Date.now();
    await eventually(async () => expect(await readable(c, id)).toBe(true), 2000);
    console.log(`near-live a -> b -> c: readable on c ${Date.now() - written} ms after the write on a answered`);

    await eventually(async () => expect((await runsOf(b.url, 'c')).length).toBe(1));
    await sleep(1500);
    expect(await runsOf(a.url, 'b')).toEqual([expect.objectContaining({ trigger: 'write', ok: true, pushed: 1 })]);
    expect(await runsOf(b.url, 'c')).toEqual([expect.objectContaining({ trigger: 'write', ok: true, pushed: 1 })]);
    // b applied a's push: that change is not sent back to a, and c has no one else to tell.
    expect(await runsOf(b.url, 'a')).toEqual([]);
    expect(await runsOf(c.url, 'b')).toEqual([]);
  });

  it('runs exactly one more round for writes made while a round runs', async () => {
    const env = { ...live('200'), API_TOKEN: TOKEN };
    cluster = await startCluster(['a', 'b'], { env: { a: env, b: env } });
    const { a, b } = cluster.nodes;
    // Paused while a large backlog builds up, so the round after resuming takes a while.
    expect((await peerAction(a.url, 'b', 'pause', TOKEN)).status).toBe(200);
    await seedItems(a.url, TOKEN, 'a', 4000, { bytes: 2000 });
    await sleep(500);
    expect(await runsOf(a.url, 'b', TOKEN)).toEqual([]);
    expect((await peerAction(a.url, 'b', 'resume', TOKEN)).status).toBe(200);

    await write(a, { first: true }, TOKEN);
    await waitForPeer(a.url, 'b', (p) => p.state === 'running', { token: TOKEN });
    const during: string[] = [];
    for (let i = 0; i < 3; i++) during.push(await write(a, { during: i }, TOKEN));
    await eventually(async () => {
      for (const id of during) expect(await readable(b, id, TOKEN)).toBe(true);
    }, 30_000);
    await waitForPeer(a.url, 'b', (p) => p.state === 'idle', { token: TOKEN });
    await sleep(1000);
    const runs = await runsOf(a.url, 'b', TOKEN);
    expect(runs.map((r) => [r.trigger, r.ok])).toEqual([
      ['write', true],
      ['write', true],
    ]);
    expect(runs[0].pushed + runs[1].pushed).toBe(4004);
    // One round per peer at a time: the second began after the first ended.
    expect(Date.parse(runs[0].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[1].finishedAt));
  });

  it('leaves a paused peer alone, and reaches it again once resumed', async () => {
    cluster = await startCluster(['a', 'b', 'c'], { links: CHAIN, env: { a: live('100'), b: live('100'), c: live('100') } });
    const { a, b, c } = cluster.nodes;
    expect((await peerAction(b.url, 'c', 'pause')).status).toBe(200);
    const first = await write(a, { n: 1 });
    await eventually(async () => expect(await readable(b, first)).toBe(true), 2000);
    await sleep(1000);
    expect(await readable(c, first)).toBe(false);
    expect(await runsOf(b.url, 'c')).toEqual([]);

    expect((await peerAction(b.url, 'c', 'resume')).status).toBe(200);
    const second = await write(a, { n: 2 });
    await eventually(async () => {
      expect(await readable(c, second)).toBe(true);
      expect(await readable(c, first)).toBe(true);
    }, 3000);
  });

  it('is off with SYNC_DEBOUNCE_MS=0', async () => {
    cluster = await startCluster(['a', 'b'], { env: { a: live('0'), b: live('0') } });
    const { a, b } = cluster.nodes;
    const id = await write(a, { quiet: true });
    await sleep(1500);
    expect(await readable(b, id)).toBe(false);
    expect(await runsOf(a.url, 'b')).toEqual([]);
  });
});
