import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { anItem } from '../factories/items';
import {
  Cluster,
  SyncResultBody,
  TEST_SECRET,
  itemStates,
  olderTransactionsEnded,
  signedByTest,
  startCluster,
} from '../support/cluster';
import { bearer, expectError } from '../support/http';
import { TestNode, startNode } from '../support/node';
import { metricValue } from '../support/metrics';

async function create(node: TestNode, headers: Record<string, string> = {}) {
  return (await request(node.url).post('/items').set(headers).send(anItem()).expect(201)).body;
}

async function put(node: TestNode, id: string, data: Record<string, unknown>) {
  return (await request(node.url).put(`/items/${id}`).send({ data }).expect(200)).body;
}

/** POST /admin/sync once every write so far shows in every log (see olderTransactionsEnded). */
async function sync(cluster: Cluster, from: string, peers?: string[]): Promise<SyncResultBody[]> {
  await olderTransactionsEnded();
  return cluster.sync(from, peers);
}

async function conflictsOn(node: TestNode, query = '') {
  return (await request(node.url).get(`/admin/conflicts${query}`).expect(200)).body.conflicts;
}

/** The item shape of a stored version, without the node-specific `uri`. */
function versionOf(item: Record<string, unknown>) {
  const { id, data, deleted, updatedAt, origin, priority, fingerprint } = item;
  return { id, data, deleted, updatedAt, origin, priority, fingerprint };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('conflict records', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await startCluster(['a', 'b']);
  });
  afterEach(() => cluster.stop());

  it('keeps the loser of a concurrent edit with both versions, newest first, filterable by item', async () => {
    const { a, b } = cluster.nodes;
    const [x, y] = [await create(a), await create(a)];
    await sync(cluster, 'a');
    const started = Date.now();

    const xOnA = await put(a, x.id, { edited: 'x on a' });
    await pause(5);
    const xOnB = await put(b, x.id, { edited: 'x on b' });
    const [first] = await sync(cluster, 'a');
    expect(first).toMatchObject({ peer: 'b', ok: true, conflicts: 1, pulled: 1, pushed: 0 });

    const stored = versionOf((await request(b.url).get(`/items/${x.id}`).expect(200)).body);
    expect(stored).toEqual(versionOf(xOnB));
    expect(versionOf((await request(a.url).get(`/items/${x.id}`).expect(200)).body)).toEqual(stored);
    const [record] = await conflictsOn(a);
    expect(record).toEqual({
      id: expect.any(String),
      itemId: x.id,
      peer: 'b',
      detectedAt: expect.any(String),
      status: 'open',
      winner: expect.anything(),
      loser: expect.anything(),
    });
    expect(versionOf(record.winner)).toEqual(stored);
    expect(versionOf(record.loser)).toEqual(versionOf(xOnA));
    expect(Date.parse(record.detectedAt)).toBeGreaterThanOrEqual(started - 1000);

    // The other way round: a's edit is the later one and wins on both nodes.
    const yOnB = await put(b, y.id, { edited: 'y on b' });
    await pause(5);
    const yOnA = await put(a, y.id, { edited: 'y on a' });
    expect(await sync(cluster, 'a')).toMatchObject([{ ok: true, conflicts: 1, pulled: 0, pushed: 1 }]);
    expect(versionOf((await request(b.url).get(`/items/${y.id}`).expect(200)).body)).toEqual(versionOf(yOnA));

    const all = await conflictsOn(a);
    expect(all.map((c: { itemId: string }) => c.itemId)).toEqual([y.id, x.id]);
    expect(Date.parse(all[0].detectedAt)).toBeGreaterThanOrEqual(Date.parse(all[1].detectedAt));
    expect(versionOf(all[0].winner)).toEqual(versionOf(yOnA));
    expect(versionOf(all[0].loser)).toEqual(versionOf(yOnB));
    expect(await conflictsOn(a, `?itemId=${x.id}`)).toEqual([record]);
    expect(await conflictsOn(a, `?itemId=${randomUUID()}`)).toEqual([]);
    expect(await sync(cluster, 'b')).toMatchObject([{ ok: true, conflicts: 0, pulled: 0, pushed: 0 }]);
  });

  it('records a delete that loses to a concurrent edit, and keeps the edit', async () => {
    const { a, b } = cluster.nodes;
    const item = await create(a);
    await sync(cluster, 'a');
    await request(a.url).delete(`/items/${item.id}`).expect(204);
    await pause(5);
    const edit = await put(b, item.id, { edited: 'on b' });
    expect(await sync(cluster, 'a')).toMatchObject([{ ok: true, conflicts: 1, pulled: 1 }]);
    for (const node of [a, b])
      expect((await request(node.url).get(`/items/${item.id}`).expect(200)).body.data).toEqual(edit.data);
    const [record] = await conflictsOn(a, `?itemId=${item.id}`);
    expect(record.loser).toMatchObject({ id: item.id, deleted: true, data: null, origin: 'a' });
    expect(versionOf(record.winner)).toEqual(versionOf(edit));
  });

  it.each(['a', 'b'])('never records a causal edit (sync run from %s)', async (from) => {
    const { a, b } = cluster.nodes;
    const [edited, gone] = [await create(a), await create(a)];
    await sync(cluster, 'a');
    const edit = await put(b, edited.id, { edited: 'on b' });
    await request(b.url).delete(`/items/${gone.id}`).expect(204);

    const [result] = await sync(cluster, from);
    expect(result).toMatchObject({ ok: true, conflicts: 0, [from === 'a' ? 'pulled' : 'pushed']: 2 });
    expect((await request(a.url).get(`/items/${edited.id}`).expect(200)).body.fingerprint).toBe(edit.fingerprint);
    await request(a.url).get(`/items/${gone.id}`).expect(410);
    expect(await sync(cluster, from === 'a' ? 'b' : 'a')).toMatchObject([{ ok: true, conflicts: 0, pulled: 0, pushed: 0 }]);
    expect(await conflictsOn(a)).toEqual([]);
    expect(await conflictsOn(b)).toEqual([]);
  });

  // Each version names the version its node's run of edits started from (`replaces`), so any
  // number of edits on b over what a sent it are causal, whichever node runs the sync.
  it('never records two successive causal edits (sync run from the editing node)', async () => {
    const { a, b } = cluster.nodes;
    const item = await create(a);
    await sync(cluster, 'a');
    await put(b, item.id, { edited: 'first' });
    await put(b, item.id, { edited: 'second' });
    expect(await sync(cluster, 'b')).toMatchObject([{ ok: true, pushed: 1, conflicts: 0 }]);
    expect(await conflictsOn(b)).toEqual([]);
  });
});

describe('POST /admin/sync and GET /admin/peers', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await startCluster(['a', 'b', 'c']);
  });
  afterEach(() => cluster.stop());

  it('syncs the named peers or, with no body, all of them; an unknown peer is a 404', async () => {
    const { a, b, c } = cluster.nodes;
    const item = await create(a);
    expectError(
      await request(a.url)
        .post('/admin/sync')
        .send({ peers: ['b', 'zz'] }),
      404,
      /zz/,
    );
    expectError(
      await request(a.url)
        .post('/admin/sync')
        .send({ peers: ['Not A Peer'] }),
      400,
      /peer/,
    );
    await request(b.url).get(`/items/${item.id}`).expect(404);

    await olderTransactionsEnded();
    const only = await request(a.url)
      .post('/admin/sync')
      .send({ peers: ['b'] })
      .expect(200);
    expect(only.body.results).toHaveLength(1);
    const [result] = only.body.results;
    expect(Object.keys(result).sort()).toEqual(
      expect.arrayContaining(['conflicts', 'durationMs', 'ok', 'peer', 'pulled', 'pushed', 'rounds']),
    );
    expect(result).toMatchObject({
      peer: 'b',
      ok: true,
      pulled: 0,
      pushed: 1,
      conflicts: 0,
      rounds: 1,
      durationMs: expect.any(Number),
    });
    expect(result.error).toBeUndefined();
    await request(b.url).get(`/items/${item.id}`).expect(200);
    await request(c.url).get(`/items/${item.id}`).expect(404);

    await olderTransactionsEnded();
    const all = await request(a.url).post('/admin/sync').expect(200);
    expect(all.body.results.map((r: SyncResultBody) => [r.peer, r.ok, r.pushed])).toEqual([
      ['b', true, 0],
      ['c', true, 1],
    ]);
    await request(c.url).get(`/items/${item.id}`).expect(200);
  });

  it('lets a second call for the same peer wait for the running one; both answer 200', async () => {
    const { a, b } = cluster.nodes;
    for (let i = 0; i < 300; i += 25) await Promise.all(Array.from({ length: 25 }, () => create(a)));
    await olderTransactionsEnded();
    const [first, second] = await Promise.all([
      request(a.url)
        .post('/admin/sync')
        .send({ peers: ['b'] }),
      request(a.url)
        .post('/admin/sync')
        .send({ peers: ['b'] }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const results: SyncResultBody[] = [first.body.results[0], second.body.results[0]];
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.pushed).sort((x, y) => x - y)).toEqual([0, 300]);
    const [sa, sb] = [await itemStates(a), await itemStates(b)];
    expect(sa).toHaveLength(300);
    expect(sb).toEqual(sa);
  });

  it('reports each peer: url, last result, last success and checkpoint', async () => {
    const { a, b, c } = cluster.nodes;
    const before = (await request(a.url).get('/admin/peers').expect(200)).body;
    expect(before.peers).toEqual([
      expect.objectContaining({
        id: 'b',
        url: b.url,
        lastResult: null,
        lastSuccessAt: null,
        checkpoint: { remoteCursor: null, localCursor: null },
      }),
      expect.objectContaining({ id: 'c', url: c.url, lastResult: null, lastSuccessAt: null }),
    ]);

    const onA = await create(a);
    await create(b);
    const started = Date.now();
    const [result] = await sync(cluster, 'a', ['b']);
    const { peers } = (await request(a.url).get('/admin/peers').expect(200)).body;
    expect(peers[0]).toMatchObject({ id: 'b', url: b.url, lastResult: { ...result } });
    expect(Date.parse(peers[0].lastSuccessAt)).toBeGreaterThanOrEqual(started - 1000);
    const { remoteCursor, localCursor } = peers[0].checkpoint;
    expect([typeof remoteCursor, typeof localCursor]).toEqual(['string', 'string']);
    // Each cursor is a position in its own node's log: b's was read before a pushed its item there.
    const remotePath = `/items/transactions?after=${remoteCursor}`;
    const afterRemote = (
      await request(b.url)
        .get(remotePath)
        .set(signedByTest(b, 'GET', remotePath))
        .expect(200)
    ).body.entries;
    expect(afterRemote.map((e: { itemId: string }) => e.itemId)).toEqual([onA.id]);
    const localPath = `/items/transactions?after=${localCursor}`;
    expect(
      (
        await request(a.url)
          .get(localPath)
          .set(signedByTest(a, 'GET', localPath))
          .expect(200)
      ).body.entries,
    ).toHaveLength(0);
    expect(peers[1]).toMatchObject({
      id: 'c',
      lastResult: null,
      lastSuccessAt: null,
      checkpoint: { remoteCursor: null, localCursor: null },
    });
  });
});

/** The sum of a Prometheus counter's samples whose labels include `peer="<peer>"`. */
describe('GET /metrics', () => {
  it('counts syncs and moved items per peer', async () => {
    const cluster = await startCluster(['a', 'b']);
    try {
      const { a, b } = cluster.nodes;
      const zero = (await request(a.url).get('/metrics').expect(200)).text;
      expect(zero).toMatch(/^# HELP logsync_syncs_total /m);
      expect(metricValue(zero, 'logsync_syncs_total', { peer: 'b' })).toBe(0);
      await Promise.all([create(b), create(b), create(a)]);
      await sync(cluster, 'a');
      const after = await request(a.url).get('/metrics').expect(200);
      expect(after.headers['content-type']).toMatch(/^text\/plain/);
      expect(metricValue(after.text, 'logsync_syncs_total', { peer: 'b' })).toBe(1);
      expect(after.text).toContain('logsync_syncs_total{peer="b",outcome="ok"} 1');
      expect(metricValue(after.text, 'logsync_items_pulled_total', { peer: 'b' })).toBe(2);
      expect(metricValue(after.text, 'logsync_items_pushed_total', { peer: 'b' })).toBe(1);
      expect(after.text).toMatch(/^# TYPE logsync_push_conflict_retries_total counter$/m);
      expect(after.text).toMatch(/^logsync_sync_duration_seconds_count\{peer="b"\} 1$/m);
    } finally {
      await cluster.stop();
    }
  });

  it('needs the bearer token, like admin, when API_TOKEN is set', async () => {
    const token = { API_TOKEN: 'metrics-token-padded-to-32-characters' };
    const cluster = await startCluster(['a', 'b'], { env: { a: token, b: token } });
    try {
      const { a } = cluster.nodes;
      expectError(await request(a.url).get('/metrics'), 401, /bearer/i);
      expectError(await request(a.url).get('/admin/peers'), 401, /bearer/i);
      expectError(await request(a.url).post('/admin/sync'), 401, /bearer/i);
      await create(a, bearer('metrics-token-padded-to-32-characters'));
      const synced = await request(a.url).post('/admin/sync').set(bearer('metrics-token-padded-to-32-characters')).expect(200);
      expect(synced.body.results).toMatchObject([{ peer: 'b', ok: true, pushed: 1 }]);
      const text = (await request(a.url).get('/metrics').set(bearer('metrics-token-padded-to-32-characters')).expect(200)).text;
      expect(metricValue(text, 'logsync_items_pushed_total', { peer: 'b' })).toBe(1);
    } finally {
      await cluster.stop();
    }
  });
});

describe('failing peers', () => {
  async function lastResultOn(node: TestNode, peer: string) {
    const { peers } = (await request(node.url).get('/admin/peers').expect(200)).body;
    return peers.find((p: { id: string }) => p.id === peer);
  }

  it('reports clock skew when the peer runs 10 minutes ahead, both ways', async () => {
    const cluster = await startCluster(['a', 'b'], { env: { b: { CLOCK_OFFSET_MS: '600000' } } });
    try {
      const item = await create(cluster.nodes.a);
      const [result] = await sync(cluster, 'a');
      expect(result).toMatchObject({ peer: 'b', ok: false, pulled: 0, pushed: 0, error: expect.stringMatching(/clock skew/i) });
      expect(await lastResultOn(cluster.nodes.a, 'b')).toMatchObject({
        lastResult: { ok: false, error: result.error },
        lastSuccessAt: null,
      });
      expect(await sync(cluster, 'b')).toMatchObject([{ peer: 'a', ok: false, error: expect.stringMatching(/clock skew/i) }]);
      await request(cluster.nodes.b.url).get(`/items/${item.id}`).expect(404);
    } finally {
      await cluster.stop();
    }
  });

  it('reports unauthorized when the peer has another SYNC_SECRET', async () => {
    const cluster = await startCluster(['a', 'b'], { env: { b: { SYNC_SECRET: 'not-the-cluster-secret-padded-to-32-chars' } } });
    try {
      await create(cluster.nodes.a);
      const [result] = await sync(cluster, 'a');
      expect(result).toMatchObject({ peer: 'b', ok: false, pushed: 0, error: expect.stringMatching(/unauthorized/i) });
      expect(await lastResultOn(cluster.nodes.a, 'b')).toMatchObject({ lastResult: { ok: false, error: result.error } });
      expect(await sync(cluster, 'b')).toMatchObject([{ peer: 'a', ok: false, error: expect.stringMatching(/unauthorized/i) }]);
    } finally {
      await cluster.stop();
    }
  });

  it('starts over with a peer whose database was reset, and gives it everything back', async () => {
    const cluster = await startCluster(['a', 'b']);
    try {
      const { a } = cluster.nodes;
      const [kept, removed] = [await create(a), await create(a)];
      const fromB = await create(cluster.nodes.b);
      await request(a.url).delete(`/items/${removed.id}`).expect(204);
      await sync(cluster, 'a');
      expect(await sync(cluster, 'a')).toMatchObject([{ ok: true, pulled: 0, pushed: 0 }]);
      const before = await itemStates(a);
      expect(before.map((s) => s.id).sort()).toEqual([kept.id, removed.id, fromB.id].sort());

      // Same id, same port, a new empty database.
      const port = Number(new URL(cluster.nodes.b.url).port);
      await cluster.nodes.b.stop();
      const b = await startNode({ id: 'b', port, env: { PEERS: `a=${a.url}`, SYNC_SECRET: TEST_SECRET } });
      cluster.nodes.b = b;
      expect(await itemStates(b)).toEqual([]);

      const [result] = await sync(cluster, 'a');
      // Round 1 meets the foreign cursor; round 2 starts over.
      expect(result).toMatchObject({ peer: 'b', ok: true, pulled: 0, pushed: 3, conflicts: 0, rounds: 2 });
      expect(await itemStates(b)).toEqual(before);
      expect(await itemStates(a)).toEqual(before);
      await request(b.url).get(`/items/${fromB.id}`).expect(200);
      await request(b.url).get(`/items/${removed.id}`).expect(410);
      expect(await sync(cluster, 'b')).toMatchObject([{ ok: true, pulled: 0, pushed: 0 }]);
    } finally {
      await cluster.stop();
    }
  });
});
