import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ItemView } from '../../src/items/item.view';
import { anItem } from '../factories/items';
import { bearer, expectError } from '../support/http';
import { TestNode, startNode } from '../support/node';
import { ITEMS_PAGE_DEFAULT } from '../../src/core/limits';

/** Reads every page of `GET /items` with `limit`, checking each page's shape on the way. */
async function listAll(url: string, limit: number): Promise<{ items: ItemView[]; pages: number }> {
  const items: ItemView[] = [];
  let after: string | undefined;
  for (let pages = 1; ; pages++) {
    const res = await request(url)
      .get('/items')
      .query(after === undefined ? { limit } : { limit, after })
      .expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'next']);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    if (res.body.next === null) return { items, pages };
    expect(typeof res.body.next).toBe('string');
    expect(res.body.items).toHaveLength(limit);
    after = res.body.next;
  }
}

describe('items API: listing and batches', () => {
  let node: TestNode;
  const api = () => request(node.url);

  beforeAll(async () => {
    node = await startNode({ id: 'a' });
  });
  afterAll(() => node.stop());

  async function createItems(count: number): Promise<ItemView[]> {
    const items: ItemView[] = [];
    for (let i = 0; i < count; i++) items.push((await api().post('/items').send(anItem()).expect(201)).body);
    return items;
  }

  describe('GET /items', () => {
    it('pages through live items in id order, each exactly once, ending with next null', async () => {
      const items = await createItems(25);
      const deleted = items.slice(0, 3);
      for (const item of deleted) await api().delete(`/items/${item.id}`).expect(204);

      const { items: seen, pages } = await listAll(node.url, 10);
      const ids = seen.map((item) => item.id);
      expect(ids).toEqual([...ids].sort());
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages).toBe(Math.ceil(ids.length / 10) || 1);
      expect(seen.every((item) => item.deleted === false && item.data !== null)).toBe(true);
      for (const item of items.slice(3)) expect(ids).toContain(item.id);
      for (const item of deleted) expect(ids).not.toContain(item.id);
      const byId = new Map(seen.map((item) => [item.id, item]));
      expect(byId.get(items[5].id)).toEqual(items[5]);
    });

    it(`defaults to a page of ${ITEMS_PAGE_DEFAULT}`, async () => {
      await createItems(ITEMS_PAGE_DEFAULT + 1);
      const res = await api().get('/items').expect(200);
      expect(res.body.items).toHaveLength(ITEMS_PAGE_DEFAULT);
      expect(typeof res.body.next).toBe('string');
    });

    it('accepts limit=1 and limit=1000', async () => {
      await createItems(2);
      const one = await api().get('/items').query({ limit: 1 }).expect(200);
      expect(one.body.items).toHaveLength(1);
      expect(typeof one.body.next).toBe('string');
      await api().get('/items').query({ limit: 1000 }).expect(200);
    });

    it.each([
      ['limit=0', { limit: 0 }, /limit must not be less than 1/],
      ['limit=1001', { limit: 1001 }, /limit must not be greater than 1000/],
      ['limit=abc', { limit: 'abc' }, /limit must be an integer/],
      ['limit=2.5', { limit: 2.5 }, /limit must be an integer/],
      ['a bad after', { after: 'not-a-token' }, /after .* is not a page token/],
      ['an unknown parameter', { sort: 'id' }, /sort should not exist/],
    ])('is 400 for %s', async (_, query, message) => {
      expectError(await api().get('/items').query(query), 400, message);
    });
  });

  describe('POST /items/batch', () => {
    it('returns the items asked for, tombstones included, unknown ids left out', async () => {
      const [live, gone] = await createItems(2);
      await api().delete(`/items/${gone.id}`).expect(204);
      const tombstone = (await api().get(`/items/${gone.id}`).expect(410)).body;
      const res = await api()
        .post('/items/batch')
        .send({ ids: [live.id, randomUUID(), gone.id.toUpperCase(), live.id] })
        .expect(200);
      expect(Object.keys(res.body)).toEqual(['items', 'missing']);
      const byId = new Map((res.body.items as ItemView[]).map((item) => [item.id, item]));
      expect(res.body.items).toHaveLength(2);
      expect(byId.get(live.id)).toEqual(live);
      expect(byId.get(gone.id)).toEqual(tombstone);
      expect(tombstone).toMatchObject({ deleted: true, data: null });
    });

    it('answers an empty list with no items', async () => {
      expect((await api().post('/items/batch').send({ ids: [] }).expect(200)).body).toEqual({ items: [], missing: [] });
    });

    it('accepts 1000 ids', async () => {
      const ids = Array.from({ length: 1000 }, () => randomUUID());
      expect((await api().post('/items/batch').send({ ids }).expect(200)).body).toEqual({ items: [], missing: [] });
    });

    it.each([
      ['over 1000 ids', { ids: Array.from({ length: 1001 }, () => randomUUID()) }, /at most 1000/],
      ['a non-UUID id', { ids: [randomUUID(), 'nope'] }, /each value in ids must be a UUID/],
      ['ids not an array', { ids: randomUUID() }, /ids must be an array/],
      ['missing ids', {}, /ids must be an array/],
    ])('is 400 for %s', async (_, body, message) => {
      expectError(await api().post('/items/batch').send(body), 400, message);
    });
  });
});

describe('items API with API_TOKEN set', () => {
  const TOKEN = 'items-token-padded-to-32-characters';
  let node: TestNode;
  const api = () => request(node.url);

  beforeAll(async () => {
    node = await startNode({ id: 'secured', env: { API_TOKEN: TOKEN } });
  });
  afterAll(() => node.stop());

  const routes = [
    ['GET /items', () => api().get('/items')],
    ['POST /items', () => api().post('/items').send(anItem())],
    ['GET /items/:id', () => api().get(`/items/${randomUUID()}`)],
    ['PUT /items/:id', () => api().put(`/items/${randomUUID()}`).send({ data: {} })],
    ['DELETE /items/:id', () => api().delete(`/items/${randomUUID()}`)],
    ['POST /items/batch', () => api().post('/items/batch').send({ ids: [] })],
  ] as const;

  it.each(routes)('%s is 401 without a token', async (_, call) => {
    expectError(await call(), 401, /bearer token/);
  });

  it.each(routes)('%s is 401 with a wrong token', async (_, call) => {
    expectError(await call().set(bearer('wrong-token')), 401, /bearer token/);
    expectError(await call().set('Authorization', `Basic ${TOKEN}`), 401, /bearer token/);
  });

  it('stores nothing for a write refused as unauthorized', async () => {
    const item = anItem();
    expectError(await api().post('/items').send(item), 401, /bearer/);
    await api().get(`/items/${item.id}`).set(bearer(TOKEN)).expect(404);
  });

  it('works with the token', async () => {
    const item = anItem();
    await api().post('/items').set(bearer(TOKEN)).send(item).expect(201);
    expect((await api().get(`/items/${item.id}`).set(bearer(TOKEN)).expect(200)).body.data).toEqual(item.data);
    await api()
      .put(`/items/${item.id}`)
      .set(bearer(TOKEN))
      .send({ data: { v: 2 } })
      .expect(200);
    const listed = await api().get('/items').set(bearer(TOKEN)).expect(200);
    expect(listed.body.items.map((i: ItemView) => i.id)).toContain(item.id);
    const batch = await api()
      .post('/items/batch')
      .set(bearer(TOKEN))
      .send({ ids: [item.id] })
      .expect(200);
    expect(batch.body.items).toHaveLength(1);
    await api().delete(`/items/${item.id}`).set(bearer(TOKEN)).expect(204);
  });

  it('serves /health without a token', async () => {
    await api().get('/health').expect(200);
  });
});
