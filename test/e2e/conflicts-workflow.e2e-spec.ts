import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConflictsRepository } from '../../src/sync/conflicts.repository';
import { Cluster, startCluster } from '../support/cluster';
import { MadeConflict, makeConflict, putItem, syncFrom } from '../support/conflicts';
import { expectError } from '../support/http';
import { TestNode } from '../support/node';

interface Record {
  id: string;
  itemId: string;
  status: string;
  winner: { fingerprint: string; data: unknown };
  loser: { fingerprint: string; data: unknown };
}

async function conflictsOn(node: TestNode, query = ''): Promise<Record[]> {
  return (await request(node.url).get(`/admin/conflicts${query}`).expect(200)).body.conflicts;
}

async function everyRecord(node: TestNode): Promise<Record[]> {
  const all = await Promise.all(['open', 'resolved', 'dismissed'].map((status) => conflictsOn(node, `?status=${status}`)));
  return all.flat();
}

async function dataOn(node: TestNode, itemId: string) {
  return (await request(node.url).get(`/items/${itemId}`).expect(200)).body;
}

describe('conflict workflow', () => {
  let cluster: Cluster;
  let a: TestNode;
  let b: TestNode;
  beforeEach(async () => {
    cluster = await startCluster(['a', 'b']);
    ({ a, b } = cluster.nodes);
  });
  afterEach(() => cluster.stop());

  it('lists records with id and status: open by default, newest first, by item, peer and status, in pages', async () => {
    const made: MadeConflict[] = [];
    for (const label of ['x', 'y', 'z']) made.push(await makeConflict(cluster, {}, label));
    const [x, y, z] = made;
    const open = await conflictsOn(a);
    expect(open.map((r) => [r.itemId, r.status])).toEqual([
      [z.itemId, 'open'],
      [y.itemId, 'open'],
      [x.itemId, 'open'],
    ]);
    expect(open.every((r) => typeof r.id === 'string')).toBe(true);
    expect(open[0]).toMatchObject({
      peer: 'b',
      winner: { fingerprint: z.onB.fingerprint },
      loser: { fingerprint: z.onA.fingerprint },
    });
    expect(await conflictsOn(b)).toEqual([]);

    expect((await conflictsOn(a, `?itemId=${y.itemId}`)).map((r) => r.itemId)).toEqual([y.itemId]);
    expect(await conflictsOn(a, '?peer=b')).toEqual(open);
    expect(await conflictsOn(a, '?peer=c')).toEqual([]);
    expect(await conflictsOn(a, '?status=resolved')).toEqual([]);

    const first = (await request(a.url).get('/admin/conflicts?limit=2').expect(200)).body;
    expect(first.conflicts).toEqual(open.slice(0, 2));
    expect(typeof first.next).toBe('string');
    const second = (await request(a.url).get(`/admin/conflicts?limit=2&after=${first.next}`).expect(200)).body;
    expect(second).toEqual({ conflicts: open.slice(2), next: null });

    await request(a.url).post(`/admin/conflicts/${open[1].id}/dismiss`).expect(200);
    expect((await conflictsOn(a, '?status=dismissed')).map((r) => r.itemId)).toEqual([y.itemId]);
    expect((await conflictsOn(a)).map((r) => r.itemId)).toEqual([z.itemId, x.itemId]);

    expectError(
      await request(a.url).get('/admin/conflicts?status=closed'),
      400,
      /status must be one of open, resolved, dismissed/,
    );
    expectError(await request(a.url).get('/admin/conflicts?after=bm90LWEtY3Vyc29y'), 400, /after .* not a cursor/);
    expectError(await request(a.url).get('/admin/conflicts?peer=Not%20A%20Peer'), 400, /peer must be a node id/);
    expectError(await request(a.url).get('/admin/conflicts?itemId=nope'), 400, /itemId must be a UUID/);
    expectError(await request(a.url).get('/admin/conflicts?limit=0'), 400, /limit/);
  });

  it.each(['a', 'b'])(
    'resolves by picking the loser: both nodes end with its content, no new record anywhere (then synced from %s)',
    async (from) => {
      const made = await makeConflict(cluster);
      const [record] = await conflictsOn(a);
      const res = await request(a.url).post(`/admin/conflicts/${record.id}/resolve`).send({ pick: 'loser' }).expect(200);
      const expected = { id: made.itemId, data: made.onA.data, deleted: false, origin: 'a', fingerprint: made.onA.fingerprint };
      expect(res.body).toMatchObject(expected);
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(made.onB.updatedAt));
      expect(await conflictsOn(a)).toEqual([]);
      expect(await conflictsOn(a, '?status=resolved')).toEqual([{ ...record, status: 'resolved' }]);

      const [there] = await syncFrom(cluster.nodes[from]);
      expect(there).toMatchObject({ ok: true, conflicts: 0, [from === 'a' ? 'pushed' : 'pulled']: 1 });
      expect(await syncFrom(cluster.nodes[from === 'a' ? 'b' : 'a'])).toMatchObject([
        { ok: true, conflicts: 0, pulled: 0, pushed: 0 },
      ]);
      for (const node of [a, b]) {
        expect(await dataOn(node, made.itemId)).toMatchObject({ data: made.onA.data, updatedAt: res.body.updatedAt });
      }
      expect(await everyRecord(a)).toEqual([{ ...record, status: 'resolved' }]);
      expect(await everyRecord(b)).toEqual([]);

      expectError(
        await request(a.url).post(`/admin/conflicts/${record.id}/resolve`).send({ pick: 'winner' }),
        409,
        /already resolved/,
      );
      expectError(await request(a.url).post(`/admin/conflicts/${record.id}/dismiss`), 409, /already resolved/);
    },
  );

  it('resolves by picking the winner with a new version that syncs as an edit, never a conflict', async () => {
    const made = await makeConflict(cluster);
    const [record] = await conflictsOn(a);
    const res = await request(a.url).post(`/admin/conflicts/${record.id}/resolve`).send({ pick: 'winner' }).expect(200);
    expect(res.body).toMatchObject({ data: made.onB.data, origin: 'a', fingerprint: made.onB.fingerprint });
    expect(await syncFrom(b)).toMatchObject([{ ok: true, conflicts: 0, pulled: 1 }]);
    expect(await syncFrom(a)).toMatchObject([{ ok: true, conflicts: 0, pulled: 0, pushed: 0 }]);
    for (const node of [a, b])
      expect(await dataOn(node, made.itemId)).toMatchObject({ origin: 'a', updatedAt: res.body.updatedAt });
    expect(await everyRecord(b)).toEqual([]);
    expect(await conflictsOn(a, '?status=resolved')).toHaveLength(1);
  });

  it('resolves with new data, and refuses a body that is not exactly one of pick and data', async () => {
    const made = await makeConflict(cluster);
    const [record] = await conflictsOn(a);
    const path = `/admin/conflicts/${record.id}/resolve`;
    expectError(await request(a.url).post(path).send({}), 400, /exactly one of pick .* and data/);
    expectError(await request(a.url).post(path).send({ pick: 'winner', data: {} }), 400, /exactly one of pick/);
    expectError(await request(a.url).post(path).send({ pick: 'both' }), 400, /pick must be "winner" or "loser"/);
    expectError(await request(a.url).post(path).send({ data: 'merged' }), 400, /data must be a JSON object/);
    expectError(await request(a.url).post(path).send({ data: null }), 400, /exactly one of pick|data must be/);
    expectError(await request(a.url).post(path).send({ data: {}, note: 1 }), 400, /note/);
    expect(await conflictsOn(a)).toEqual([record]);

    // Written as JSON text: in a JS object literal `__proto__` would set the prototype, not a key.
    const merged = '{"merged":["x on a","x on b"],"__proto__":{"kept":true},"nested":{"constructor":1,"prototype":2}}';
    const res = await request(a.url).post(path).set('Content-Type', 'application/json').send(`{"data":${merged}}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.data)).toBe(merged);
    expect(await syncFrom(b)).toMatchObject([{ ok: true, conflicts: 0, pulled: 1 }]);
    expect(await syncFrom(a)).toMatchObject([{ ok: true, conflicts: 0, pulled: 0, pushed: 0 }]);
    expect((await dataOn(b, made.itemId)).fingerprint).toBe(res.body.fingerprint);
    expect(await everyRecord(b)).toEqual([]);
  });

  it('dismisses a record and leaves the item; unknown ids are 404s', async () => {
    const made = await makeConflict(cluster);
    const [record] = await conflictsOn(a);
    const res = await request(a.url).post(`/admin/conflicts/${record.id}/dismiss`).expect(200);
    expect(res.body).toEqual({ ...record, status: 'dismissed' });
    expect(await conflictsOn(a)).toEqual([]);
    for (const node of [a, b]) expect((await dataOn(node, made.itemId)).fingerprint).toBe(made.onB.fingerprint);
    expectError(await request(a.url).post(`/admin/conflicts/${record.id}/dismiss`), 409, /already dismissed/);
    expectError(
      await request(a.url).post(`/admin/conflicts/${record.id}/resolve`).send({ pick: 'loser' }),
      409,
      /already dismissed/,
    );
    for (const id of ['987654321', 'abc', '0', '99999999999999999999999']) {
      expectError(await request(a.url).post(`/admin/conflicts/${id}/dismiss`), 404, /conflict .* not found/);
      expectError(await request(a.url).post(`/admin/conflicts/${id}/resolve`).send({ pick: 'winner' }), 404, /not found/);
    }
  });

  it('refuses to resolve over an edit made since the record, and leaves both open', async () => {
    const made = await makeConflict(cluster);
    const [record] = await conflictsOn(a);
    const later = await putItem(a, made.itemId, { edited: 'later' });
    const res = await request(a.url).post(`/admin/conflicts/${record.id}/resolve`).send({ pick: 'loser' });
    expectError(res, 409, /changed since conflict .* recorded/);
    expect((await dataOn(a, made.itemId)).fingerprint).toBe(later.fingerprint);
    expect(await conflictsOn(a)).toEqual([record]);
  });

  it('keeps one record per item, winner and loser, however often a round records it', async () => {
    await makeConflict(cluster);
    const [record] = await conflictsOn(a);
    // The winner is the version a holds now; the record's loser is the peer's side.
    const again = { itemId: record.itemId, localWins: true, remote: record.loser as never };
    const repository = a.app.get(ConflictsRepository);
    await a.app.get(DataSource).transaction((tx) => repository.record(tx, 'b', [again, again]));
    expect(await everyRecord(a)).toEqual([record]);
    await request(a.url).post(`/admin/conflicts/${record.id}/dismiss`).expect(200);
    await a.app.get(DataSource).transaction((tx) => repository.record(tx, 'b', [again]));
    expect(await everyRecord(a)).toEqual([{ ...record, status: 'dismissed' }]);
  });

  it('GET /admin/node: this node, its live items and open conflicts', async () => {
    await makeConflict(cluster);
    const gone = (
      await request(a.url)
        .post('/items')
        .send({ data: { bye: true } })
        .expect(201)
    ).body;
    await request(a.url).delete(`/items/${gone.id}`).expect(204);
    const node = (await request(a.url).get('/admin/node').expect(200)).body;
    expect(node).toEqual({ id: 'a', publicUrl: a.url, priority: 0, peers: 1, itemCount: 1, openConflicts: 1 });
    expect((await request(b.url).get('/admin/node').expect(200)).body).toMatchObject({ id: 'b', itemCount: 1, openConflicts: 0 });
  });
});
