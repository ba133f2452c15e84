import request from 'supertest';
import { anItem } from '../factories/items';
import { TEST_SECRET, itemStates, olderTransactionsEnded } from '../support/cluster';
import { FaultProxy, ProxyAction, SeenRequest } from '../support/proxy';
import { TestNode, freePort, startNode } from '../support/node';

/**
 * API.md, "Which version wins": the losing version of a concurrent edit is
 * kept as a conflict record however the writes interleave with a round, and
 * the record is committed before the loser is overwritten on any node. Two
 * real nodes; every request of a to b goes through a proxy that injects
 * faults and writes.
 */
interface Pair {
  a: TestNode;
  b: TestNode;
  proxy: FaultProxy;
}

async function startPair(): Promise<Pair> {
  const [aPort, bPort] = [await freePort(), await freePort()];
  const proxy = new FaultProxy(`http://127.0.0.1:${bPort}`);
  await proxy.start();
  const b = await startNode({ id: 'b', port: bPort, env: { PEERS: `a=http://127.0.0.1:${aPort}`, SYNC_SECRET: TEST_SECRET } });
  const a = await startNode({ id: 'a', port: aPort, env: { PEERS: `b=${proxy.url}`, SYNC_SECRET: TEST_SECRET } });
  return { a, b, proxy };
}

const FORWARD: ProxyAction = { kind: 'forward' };
const isPush = (r: SeenRequest) => r.method === 'PUT' && r.path.startsWith('/items/transactions');
const isBatch = (r: SeenRequest) => r.method === 'POST' && r.path.startsWith('/items/batch');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function create(node: TestNode) {
  return (await request(node.url).post('/items').send(anItem()).expect(201)).body;
}

async function put(node: TestNode, id: string, data: Record<string, unknown>) {
  return (await request(node.url).put(`/items/${id}`).send({ data }).expect(200)).body;
}

async function syncAB(a: TestNode) {
  await olderTransactionsEnded();
  const res = await request(a.url)
    .post('/admin/sync')
    .send({ peers: ['b'] })
    .expect(200);
  return res.body.results[0];
}

/** Every conflict record about `itemId`, on either node. */
async function recordsOf(nodes: TestNode[], itemId: string) {
  const lists = await Promise.all(
    nodes.map(async (node) => (await request(node.url).get(`/admin/conflicts?itemId=${itemId}`).expect(200)).body.conflicts),
  );
  return lists.flat() as { winner: { fingerprint: string }; loser: { fingerprint: string; data: unknown } }[];
}

describe('conflict losers are never lost', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => {
    await Promise.all([pair.a.stop(), pair.b.stop()]);
    await pair.proxy.stop();
  });

  it.each(['fail', 'cut'] as const)("keeps the peer's loser when the request after the push %s", async (fault) => {
    const { a, b, proxy } = pair;
    const [pushed, pulled] = [await create(a), await create(a)];
    expect(await syncAB(a)).toMatchObject({ ok: true, pushed: 2 });

    // One page of b's log holds both: b's edit of `pushed` loses to a's later one, b's edit of `pulled` wins.
    const losing = await put(b, pushed.id, { edited: 'on b, loses' });
    await pause(5);
    const winning = await put(a, pushed.id, { edited: 'on a, wins' });
    await put(b, pulled.id, { edited: 'on b, wins' });

    let pushSeen = false;
    proxy.use((req) => {
      if (isPush(req)) {
        pushSeen = true;
        return FORWARD;
      }
      return pushSeen ? { kind: fault } : FORWARD;
    });
    const failed = await syncAB(a);
    expect(failed.ok).toBe(false);
    expect(pushSeen).toBe(true);
    // The push reached b: its loser is overwritten there.
    expect((await request(b.url).get(`/items/${pushed.id}`).expect(200)).body.fingerprint).toBe(winning.fingerprint);
    const kept = (await recordsOf([a, b], pushed.id)).filter((r) => r.loser.fingerprint === losing.fingerprint);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ winner: { fingerprint: winning.fingerprint }, loser: { data: { edited: 'on b, loses' } } });

    // A clean round afterwards converges and records nothing twice.
    proxy.use(() => FORWARD);
    expect(await syncAB(a)).toMatchObject({ ok: true });
    expect(await itemStates(b)).toEqual(await itemStates(a));
    expect((await recordsOf([a, b], pushed.id)).filter((r) => r.loser.fingerprint === losing.fingerprint)).toHaveLength(1);
  });

  it('records a write on the peer that lands after the round read its log', async () => {
    const { a, b, proxy } = pair;
    const item = await create(a);
    expect(await syncAB(a)).toMatchObject({ ok: true, pushed: 1 });
    // Read past b's log entry of that push, so the next round finds nothing new on b.
    expect(await syncAB(a)).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
    const mine = await put(a, item.id, { edited: 'on a' });

    // The pull phase finds nothing new on b; before a compares its change with b's version, b is edited.
    let theirs: { fingerprint: string } | undefined;
    proxy.use((req) => {
      if (!isBatch(req) || theirs) return FORWARD;
      return { kind: 'forward', before: async () => void (theirs = await put(b, item.id, { edited: 'on b, mid-round' })) };
    });
    const result = await syncAB(a);
    expect(result.ok).toBe(true);
    expect(theirs).toBeDefined();
    for (const node of [a, b])
      expect((await request(node.url).get(`/items/${item.id}`).expect(200)).body.fingerprint).toBe(theirs!.fingerprint);
    const records = await recordsOf([a, b], item.id);
    expect(records).toEqual([
      expect.objectContaining({
        winner: expect.objectContaining({ fingerprint: theirs!.fingerprint }),
        loser: expect.objectContaining({ fingerprint: mine.fingerprint }),
      }),
    ]);
  });

  it('records a local create that loses to the pulled version of an item absent when the pull was planned', async () => {
    const { a, b, proxy } = pair;
    // b's versions outrank a's within one (very wide) conflict window, so the pulled version wins.
    a.config.conflictWindowMs = 2 ** 31 - 1;
    b.config.nodePriority = 5;
    const theirs = await create(b);

    // a plans to pull the item it lacks; while it fetches the body, a's own client creates that id.
    let mine: { fingerprint: string } | undefined;
    proxy.use((req) => {
      if (!isBatch(req) || mine) return FORWARD;
      const created = async () =>
        void (mine = (
          await request(a.url)
            .put(`/items/${theirs.id}`)
            .send({ data: { made: 'on a, mid-round' } })
            .expect(201)
        ).body);
      return { kind: 'forward', before: created };
    });
    const result = await syncAB(a);
    expect(result).toMatchObject({ ok: true, pulled: 1, conflicts: 1 });
    expect(mine).toBeDefined();
    for (const node of [a, b])
      expect((await request(node.url).get(`/items/${theirs.id}`).expect(200)).body.fingerprint).toBe(theirs.fingerprint);
    expect(await recordsOf([a, b], theirs.id)).toEqual([
      expect.objectContaining({
        winner: expect.objectContaining({ fingerprint: theirs.fingerprint }),
        loser: expect.objectContaining({ fingerprint: mine!.fingerprint }),
      }),
    ]);
  });

  it('records a local write that lands between planning a pull and applying it', async () => {
    const { a, b, proxy } = pair;
    const item = await create(a);
    expect(await syncAB(a)).toMatchObject({ ok: true, pushed: 1 });
    const theirs = await put(b, item.id, { edited: 'on b, planned to win' });

    // a plans to pull b's edit; while it fetches the body, a's own client edits the item.
    let mine: { fingerprint: string } | undefined;
    proxy.use((req) => {
      if (!isBatch(req) || mine) return FORWARD;
      return { kind: 'forward', before: async () => void (mine = await put(a, item.id, { edited: 'on a, mid-round' })) };
    });
    const result = await syncAB(a);
    expect(result.ok).toBe(true);
    expect(mine).toBeDefined();
    for (const node of [a, b])
      expect((await request(node.url).get(`/items/${item.id}`).expect(200)).body.fingerprint).toBe(mine!.fingerprint);
    const records = await recordsOf([a, b], item.id);
    expect(records).toEqual([
      expect.objectContaining({
        winner: expect.objectContaining({ fingerprint: mine!.fingerprint }),
        loser: expect.objectContaining({ fingerprint: theirs.fingerprint }),
      }),
    ]);
  });
});
