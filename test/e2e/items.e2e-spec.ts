import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fingerprintOf } from '../../src/core/fingerprint';
import type { ItemView } from '../../src/items/item.view';
import { anItem, someData } from '../factories/items';
import { expectError } from '../support/http';
import { TestNode, startNode } from '../support/node';

const PUBLIC_URL = 'https://items.example.test:8443';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The item shape of API.md, exactly: no field missing, none extra. */
function expectItem(item: ItemView, id: string, data: Record<string, unknown> | null): void {
  const deleted = data === null;
  expect(item).toStrictEqual({
    id,
    data,
    deleted,
    updatedAt: expect.stringMatching(ISO_MS),
    origin: 'a',
    priority: 7,
    fingerprint: fingerprintOf(data, deleted),
    uri: `${PUBLIC_URL}/items/${id}`,
  });
  expect(item.fingerprint).toMatch(/^[0-9a-f]{40}$/);
  expect(Math.abs(Date.parse(item.updatedAt) - Date.now())).toBeLessThan(60_000);
}

describe('items API', () => {
  let node: TestNode;
  const api = () => request(node.url);

  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { NODE_PRIORITY: '7', PUBLIC_URL } });
  });
  afterAll(() => node.stop());

  async function created(): Promise<ItemView> {
    return (await api().post('/items').send(anItem()).expect(201)).body;
  }

  describe('POST /items', () => {
    it('creates an item with a client-chosen id: 201, Location, ETag', async () => {
      const { id, data } = anItem();
      const res = await api().post('/items').send({ id, data }).expect(201);
      expectItem(res.body, id, data);
      expect(res.headers.location).toBe(`${PUBLIC_URL}/items/${id}`);
      expect(res.headers.etag).toBe(`"${res.body.fingerprint}"`);
      expect((await api().get(`/items/${id}`).expect(200)).body).toEqual(res.body);
    });

    it('chooses a UUID when the client gives none', async () => {
      const data = someData();
      const res = await api().post('/items').send({ data }).expect(201);
      expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expectItem(res.body, res.body.id, data);
    });

    it('is 409 when the id is live, and leaves the item as it was', async () => {
      const item = await created();
      const res = await api().post('/items').send({ id: item.id, data: someData() });
      expectError(res, 409, new RegExp(`${item.id}.*exists`));
      expect((await api().get(`/items/${item.id}`).expect(200)).body).toEqual(item);
    });

    it('re-creates an item over its tombstone', async () => {
      const item = await created();
      await api().delete(`/items/${item.id}`).expect(204);
      const data = someData();
      const res = await api().post('/items').send({ id: item.id, data }).expect(201);
      expectItem(res.body, item.id, data);
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(item.updatedAt));
      expect((await api().get(`/items/${item.id}`).expect(200)).body.data).toEqual(data);
    });

    it.each([
      ['missing data', { id: randomUUID() }, /data is required/],
      ['data null', { data: null }, /data is required/],
      ['data an array', { data: [1, 2] }, /data must be a JSON object/],
      ['data a string', { data: 'text' }, /data must be a JSON object/],
      ['an unknown property', { data: {}, extra: 1 }, /extra should not exist/],
      ['a bad id', { id: 'not-a-uuid', data: {} }, /id must be a UUID/],
      ['\\u0000 in a string', { data: { text: 'a\u0000b' } }, /data\.text contains \\u0000/],
      ['\\u0000 in a key', { data: { 'k\u0000': 1 } }, /key data\.k.* contains \\u0000/],
    ])('is 400 for %s', async (_, body, message) => {
      expectError(await api().post('/items').send(body), 400, message);
    });

    it('is 400 for a number beyond the range (1e400), not a silent null', async () => {
      const id = randomUUID();
      const res = await api().post('/items').set('Content-Type', 'application/json').send(`{"id":"${id}","data":{"big":1e400}}`);
      expectError(res, 400, /data\.big is a number outside the range/);
      expect((await api().get(`/items/${id}`)).status).toBe(404);
    });

    it('is 400 for a malformed JSON body', async () => {
      const res = await api().post('/items').set('Content-Type', 'application/json').send('{"data": {');
      // Nest maps body-parser's SyntaxError to a 400 carrying the parser's message.
      expectError(res, 400, /JSON/);
    });

    it('is 413 for data over 1 MiB serialised, and stores nothing', async () => {
      const id = randomUUID();
      const res = await api()
        .post('/items')
        .send({ id, data: { blob: 'x'.repeat(1024 * 1024) } });
      expectError(res, 413, /data is \d+ bytes serialised; the limit is 1048576/);
      expect((await api().get(`/items/${id}`)).status).toBe(404);
    });

    it('accepts data of just under 1 MiB', async () => {
      const data = { blob: 'x'.repeat(1024 * 1024 - 20) };
      const res = await api().post('/items').send({ data }).expect(201);
      expect((await api().get(`/items/${res.body.id}`).expect(200)).body.data).toEqual(data);
    });
  });

  describe('GET /items/:id', () => {
    it('is 200 with the item and its ETag', async () => {
      const item = await created();
      const res = await api().get(`/items/${item.id}`).expect(200);
      expect(res.body).toEqual(item);
      expect(res.headers.etag).toBe(`"${item.fingerprint}"`);
    });

    it('finds an item by its id in upper case too', async () => {
      const item = await created();
      expect((await api().get(`/items/${item.id.toUpperCase()}`).expect(200)).body).toEqual(item);
    });

    it('is 404 for an id never seen', async () => {
      const id = randomUUID();
      expectError(await api().get(`/items/${id}`), 404, new RegExp(`${id} not found`));
    });

    it('is 410 with the tombstone item as body once deleted', async () => {
      const item = await created();
      await api().delete(`/items/${item.id}`).expect(204);
      const res = await api().get(`/items/${item.id}`).expect(410);
      expectItem(res.body, item.id, null);
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(item.updatedAt));
    });

    it('is 400 for an id that is not a UUID', async () => {
      expectError(await api().get('/items/12345'), 400, /id must be a UUID/);
    });
  });

  describe('PUT /items/:id', () => {
    it('creates an item: 201 with Location and ETag', async () => {
      const { id, data } = anItem();
      const res = await api().put(`/items/${id}`).send({ data }).expect(201);
      expectItem(res.body, id, data);
      expect(res.headers.location).toBe(`${PUBLIC_URL}/items/${id}`);
      expect(res.headers.etag).toBe(`"${res.body.fingerprint}"`);
    });

    it('updates an item: 200, and the new version is later', async () => {
      const item = await created();
      const data = someData();
      const res = await api().put(`/items/${item.id}`).send({ data }).expect(200);
      expectItem(res.body, item.id, data);
      expect(res.headers.etag).toBe(`"${res.body.fingerprint}"`);
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(item.updatedAt));
      expect((await api().get(`/items/${item.id}`).expect(200)).body).toEqual(res.body);
    });

    it('re-creates a deleted item: 201', async () => {
      const item = await created();
      await api().delete(`/items/${item.id}`).expect(204);
      const data = someData();
      expectItem((await api().put(`/items/${item.id}`).send({ data }).expect(201)).body, item.id, data);
    });

    it('keeps the version when the same data is written again', async () => {
      const item = await created();
      const res = await api().put(`/items/${item.id}`).send({ data: item.data }).expect(200);
      expect(res.body).toEqual(item);
    });

    it('applies a matching If-Match, including one in a list and `*`', async () => {
      const item = await created();
      const first = await api()
        .put(`/items/${item.id}`)
        .set('If-Match', `"${item.fingerprint}"`)
        .send({ data: someData() })
        .expect(200);
      const listed = `"${'0'.repeat(40)}", "${first.body.fingerprint}"`;
      const second = await api().put(`/items/${item.id}`).set('If-Match', listed).send({ data: someData() }).expect(200);
      const data = someData();
      await api().put(`/items/${item.id}`).set('If-Match', '*').send({ data }).expect(200);
      expect(second.body.fingerprint).not.toBe(first.body.fingerprint);
      expect((await api().get(`/items/${item.id}`).expect(200)).body.data).toEqual(data);
    });

    it('is 412 for a stale If-Match and changes nothing', async () => {
      const item = await created();
      await api().put(`/items/${item.id}`).send({ data: someData() }).expect(200);
      const current = (await api().get(`/items/${item.id}`)).body;
      const res = await api().put(`/items/${item.id}`).set('If-Match', `"${item.fingerprint}"`).send({ data: someData() });
      expectError(res, 412, /If-Match does not match/);
      expect((await api().get(`/items/${item.id}`).expect(200)).body).toEqual(current);
    });

    it('is 412 for If-Match on an item that does not exist', async () => {
      const id = randomUUID();
      expectError(await api().put(`/items/${id}`).set('If-Match', '*').send({ data: {} }), 412, /If-Match/);
      expect((await api().get(`/items/${id}`)).status).toBe(404);
    });

    it.each([
      ['missing data', {}, /data is required/],
      ['data not an object', { data: 3 }, /data must be a JSON object/],
      ['an unknown property', { data: {}, id: randomUUID() }, /id should not exist/],
    ])('is 400 for %s', async (_, body, message) => {
      expectError(await api().put(`/items/${randomUUID()}`).send(body), 400, message);
    });

    it('is 400 for a bad id', async () => {
      expectError(await api().put('/items/nope').send({ data: {} }), 400, /id must be a UUID/);
    });
  });

  describe('DELETE /items/:id', () => {
    it('is 204 with no body and leaves a tombstone', async () => {
      const item = await created();
      const res = await api().delete(`/items/${item.id}`).expect(204);
      expect(res.text).toBe('');
      expect((await api().get(`/items/${item.id}`).expect(410)).body.deleted).toBe(true);
    });

    it('applies a matching If-Match', async () => {
      const item = await created();
      await api().delete(`/items/${item.id}`).set('If-Match', `"${item.fingerprint}"`).expect(204);
    });

    it('is 404 for an unknown id', async () => {
      expectError(await api().delete(`/items/${randomUUID()}`), 404, /not found/);
    });

    it('is 404 when already deleted, and the tombstone stays as it was', async () => {
      const item = await created();
      await api().delete(`/items/${item.id}`).expect(204);
      const tombstone = (await api().get(`/items/${item.id}`)).body;
      expectError(await api().delete(`/items/${item.id}`), 404, /not found/);
      expect((await api().get(`/items/${item.id}`).expect(410)).body).toEqual(tombstone);
    });

    it('is 412 for a stale If-Match and deletes nothing', async () => {
      const item = await created();
      await api().put(`/items/${item.id}`).send({ data: someData() }).expect(200);
      expectError(await api().delete(`/items/${item.id}`).set('If-Match', `"${item.fingerprint}"`), 412, /If-Match/);
      await api().get(`/items/${item.id}`).expect(200);
    });

    it('is 400 for a bad id', async () => {
      expectError(await api().delete('/items/xyz'), 400, /id must be a UUID/);
    });
  });
});
