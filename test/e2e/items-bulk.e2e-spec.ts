import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { fingerprintOf } from '../../src/core/fingerprint';
import { aPushEntry, anItem, someData } from '../factories/items';
import { expectError } from '../support/http';
import { logEnd, readLogPage } from '../support/log';
import { TestNode, startNode } from '../support/node';

/** The last millisecond API.md allows: a write over a version stamped here cannot be stamped later. */
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('POST /items/bulk', () => {
  let node: TestNode;
  const api = () => request(node.url);
  const bulk = (items: unknown) => api().post('/items/bulk').send({ items });
  const results = async (items: unknown[]) => (await bulk(items).expect(200)).body.results;

  beforeAll(async () => {
    // A version stamped at the end of time can only be pushed to a node that takes any future stamp.
    node = await startNode({ id: 'a', env: { MAX_FUTURE_MS: '253402300799999' } });
  });
  afterAll(() => node?.stop());

  async function created() {
    return (await api().post('/items').send(anItem()).expect(201)).body;
  }

  it('answers each entry with the status its single-item request would get, in order', async () => {
    const [live, gone, guarded] = [await created(), await created(), await created()];
    await api().delete(`/items/${gone.id}`).expect(204);
    const fresh = randomUUID();
    const same = { ...live.data };
    const answer = await results([
      { data: { made: 'here' } },
      { id: fresh, data: { chosen: 'id' } },
      { id: live.id, data: same },
      { id: gone.id, data: { back: true } },
      { id: guarded.id, data: { x: 1 }, ifMatch: '"0000000000000000000000000000000000000000"' },
      { id: randomUUID(), deleted: true },
      { id: guarded.id, deleted: true, ifMatch: `"${guarded.fingerprint}"` },
    ]);
    expect(answer.map((r: { status: number }) => r.status)).toEqual([201, 201, 200, 201, 412, 404, 204]);
    expect(answer[1]).toEqual({ id: fresh, status: 201, fingerprint: fingerprintOf({ chosen: 'id' }, false) });
    expect(answer[2]).toEqual({ id: live.id, status: 200, fingerprint: live.fingerprint });
    expect(answer[4].message).toMatch(/ifMatch does not match/);
    expect(answer[5].message).toMatch(/not found/);

    const made = (await api().get(`/items/${answer[0].id}`).expect(200)).body;
    expect(made).toMatchObject({ data: { made: 'here' }, fingerprint: answer[0].fingerprint, origin: 'a' });
    expect((await api().get(`/items/${fresh}`).expect(200)).body.data).toEqual({ chosen: 'id' });
    // Writing the content an item already holds changes nothing: same version, same time.
    expect((await api().get(`/items/${live.id}`).expect(200)).body).toEqual(live);
    expect((await api().get(`/items/${gone.id}`).expect(200)).body.data).toEqual({ back: true });
    expect((await api().get(`/items/${guarded.id}`).expect(410)).body.deleted).toBe(true);
  });

  it('updates a live item with 200, honouring a matching ifMatch, and stamps it after the version it replaces', async () => {
    const item = await created();
    const [updated] = await results([{ id: item.id, data: { v: 2 }, ifMatch: `"${item.fingerprint}"` }]);
    expect(updated).toEqual({ id: item.id, status: 200, fingerprint: fingerprintOf({ v: 2 }, false) });
    const stored = (await api().get(`/items/${item.id}`).expect(200)).body;
    expect(Date.parse(stored.updatedAt)).toBeGreaterThan(Date.parse(item.updatedAt));
  });

  it('answers 400 for each malformed entry and still applies the others', async () => {
    const keep = randomUUID();
    const answer = await results([
      { id: randomUUID() },
      'not an object',
      { id: 'nope', data: {} },
      { id: randomUUID(), data: {}, deleted: true },
      { deleted: true },
      { id: randomUUID(), data: {}, extra: 1 },
      { id: randomUUID(), data: [1, 2] },
      { id: randomUUID(), data: { s: 'a\u0000b' } },
      { id: randomUUID(), deleted: true, data: null },
      { id: keep, data: { kept: true } },
    ]);
    expect(answer.map((r: { status: number }) => r.status)).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 404, 201]);
    expect(answer.slice(0, 8).map((r: { message: string }) => r.message)).toEqual([
      expect.stringMatching(/items\[0\] needs data, or deleted: true/),
      expect.stringMatching(/items\[1\] must be an object/),
      expect.stringMatching(/items\[2\]\.id must be a UUID/),
      expect.stringMatching(/both data and deleted/),
      expect.stringMatching(/names no id/),
      expect.stringMatching(/unknown field "extra"/),
      expect.stringMatching(/data must be a JSON object/),
      expect.stringMatching(/\\u0000/),
    ]);
    expect(answer[2].id).toBe('nope');
    expect(answer[1].id).toBeNull();
    await api().get(`/items/${answer[0].id}`).expect(404);
    expect((await api().get(`/items/${keep}`).expect(200)).body.data).toEqual({ kept: true });
  });

  it('answers 413 for data over 1 MiB and 409 for a write that would pass year 9999, entry by entry', async () => {
    const late = aPushEntry({ updatedAt: new Date(LAST_MS).toISOString() });
    await api()
      .put('/items/transactions')
      .send({ node: 'b', entries: [late] })
      .expect(200);
    const big = randomUUID();
    const answer = await results([
      { id: big, data: { s: 'x'.repeat(1024 * 1024) } },
      { id: late.itemId, data: { v: 1 } },
    ]);
    expect(answer[0]).toMatchObject({ id: big, status: 413, message: expect.stringMatching(/limit is 1048576/) });
    expect(answer[1]).toMatchObject({ id: late.itemId, status: 409, message: expect.stringMatching(/end of time/) });
    await api().get(`/items/${big}`).expect(404);
    expect((await api().get(`/items/${late.itemId}`).expect(200)).body.data).toEqual(late.data);
  });

  it('measures data in UTF-8 bytes: three-byte characters just past 1 MiB are 413, just under it 201', async () => {
    // {"s":"…"} is 8 bytes around the characters, each 3 bytes in UTF-8.
    const [over, under] = [randomUUID(), randomUUID()];
    const answer = await results([
      { id: over, data: { s: '€'.repeat(349_526) } },
      { id: under, data: { s: '€'.repeat(349_522) } },
    ]);
    expect(answer[0]).toMatchObject({ id: over, status: 413, message: expect.stringMatching(/1048586 bytes.*limit is 1048576/) });
    expect(answer[1]).toMatchObject({ id: under, status: 201 });
  });

  it('lets a later entry see the earlier ones on the same id and stores only the last version', async () => {
    const id = randomUUID();
    const before = await logEnd(node.url);
    const answer = await results([
      { id, data: { step: 1 } },
      { id, data: { step: 2 }, ifMatch: `"${fingerprintOf({ step: 1 }, false)}"` },
      { id, data: { step: 2 } },
      { id, deleted: true },
      { id, deleted: true },
      { id, data: { step: 3 } },
    ]);
    expect(answer.map((r: { status: number }) => r.status)).toEqual([201, 200, 200, 204, 404, 201]);
    expect((await api().get(`/items/${id}`).expect(200)).body.data).toEqual({ step: 3 });
    const after = await readLogPage(node.url, { after: before, include: 'replaces' });
    expect(after.entries.map((entry) => entry.itemId)).toEqual([id]);
    // A new item: the one version stored was written over nothing any node has seen.
    expect(after.entries[0].replaces).toBeNull();
  });

  it('stores every key exactly, __proto__ and constructor included, at any depth', async () => {
    const data = '{"__proto__":{"x":1},"a":{"constructor":{"prototype":2}}}';
    const res = await api().post('/items/bulk').set('content-type', 'application/json').send(`{"items":[{"data":${data}}]}`);
    const [result] = res.body.results;
    expect(result).toMatchObject({ status: 201, fingerprint: fingerprintOf(JSON.parse(data), false) });
    const stored = await api().get(`/items/${result.id}`).expect(200);
    expect(Object.keys(stored.body.data).sort()).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(stored.body.data.a)).toBe('{"constructor":{"prototype":2}}');
    expect(stored.body.fingerprint).toBe(result.fingerprint);
  });

  it('stores data written in any valid way as its parsed value: blanks, escapes, repeated keys, number spellings', async () => {
    const written = [
      String.raw`{ "b" : [1.0, 1E2, -0, 5e-324, 0.1e1] ,` + '\n\t' + String.raw`"a":"\u00e9\ud83d\ude00\"\\\/\n" }`,
      String.raw`{"k":1,"k":{"z":null,"y":true},"\u006b2":"x"}`,
      String.raw`{"é":1,"\uff61":2,"😀":3,"B":[{"c":{}}],"__proto__":[]}`,
    ];
    const text = `{"items":[${written.map((data) => `{"data":${data}}`).join(' , ')}]}`;
    const res = await api().post('/items/bulk').set('content-type', 'application/json').send(text).expect(200);
    for (const [i, data] of written.entries()) {
      const result = res.body.results[i];
      expect(result).toMatchObject({ status: 201, fingerprint: fingerprintOf(JSON.parse(data), false) });
      const stored = (await api().get(`/items/${result.id}`).expect(200)).body;
      expect(fingerprintOf(stored.data, false)).toBe(result.fingerprint);
      // As JSON writes it: -0 is 0.
      expect(stored.data).toEqual(JSON.parse(JSON.stringify(JSON.parse(data))));
    }
  });

  it('reads its body as every route does: encodings, types, UTF-8, depth, numbers and syntax refused as a whole', async () => {
    // fetch sends bytes as they are (supertest would serialise a Buffer as JSON).
    const bytes = async (body: Buffer, headers: Record<string, string> = {}) => {
      const res = await fetch(`${node.url}/items/bulk`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      });
      return { status: res.status, body: await res.json() };
    };
    const id = randomUUID();
    const body = JSON.stringify({ items: [{ id, data: { zipped: 'é' } }] });
    expect(await bytes(gzipSync(Buffer.from(body)), { 'Content-Encoding': 'gzip' })).toMatchObject({ status: 200 });
    expect((await api().get(`/items/${id}`).expect(200)).body.data).toEqual({ zipped: 'é' });
    const marked = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ items: [{ data: { é: 1 } }] }))]);
    expect(await bytes(marked)).toMatchObject({ status: 200, body: { results: [{ status: 201 }] } });
    expect(await bytes(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/not valid UTF-8/) },
    });
    const raw = (text: string, type = 'application/json') => api().post('/items/bulk').set('content-type', type).send(text);
    expectError(await raw(body, 'text/plain'), 415, /application\/json/);
    expectError(await raw('{"items":[{"data":{"a":1}},]}'), 400, /not valid JSON/);
    expectError(
      await raw('{"items":[{"data":{"x":[1,1e400]}}]}'),
      400,
      /^items\[0\]\.data\.x\[1\] is a number outside the range/,
    );
    expectError(
      await raw('{"items":[{"data":{"n":12345678901234567890}}]}'),
      400,
      /^items\[0\]\.data\.n is a number that cannot be stored exactly/,
    );
    expectError(await raw(`{"items":[{"data":${'['.repeat(200)}${']'.repeat(200)}}]}`), 400, /nested deeper than 100 levels/);
    expectError(await api().post('/items/bulk'), 400, /items must be an array/);
  });

  describe('whole-request limits: nothing is applied', () => {
    it('answers 413 for 1001 entries', async () => {
      const id = randomUUID();
      const items = [{ id, data: someData() }, ...Array.from({ length: 1000 }, () => ({ data: {} }))];
      expectError(await bulk(items), 413, /1001 entries; at most 1000/);
      await api().get(`/items/${id}`).expect(404);
    });

    it('accepts 1000 entries', async () => {
      const answer = await results(Array.from({ length: 1000 }, (_, n) => ({ data: { n } })));
      expect(answer).toHaveLength(1000);
      expect(answer.every((r: { status: number }) => r.status === 201)).toBe(true);
    });

    it('answers 413 for a body over 16 MiB', async () => {
      const id = randomUUID();
      const items = [{ id, data: {} }, ...Array.from({ length: 17 }, () => ({ data: { s: 'x'.repeat(1000 * 1000) } }))];
      expectError(await bulk(items), 413, /larger than/);
      await api().get(`/items/${id}`).expect(404);
    });

    it('answers 400 when items is missing or not an array', async () => {
      expectError(await api().post('/items/bulk').send({}), 400, /items must be an array/);
      expectError(await bulk({ id: randomUUID() }), 400, /items must be an array/);
      expectError(await api().post('/items/bulk').send({ items: [], extra: 1 }), 400, /extra/);
    });
  });
});
