import { gzipSync } from 'node:zlib';
import canonicalize from 'canonicalize';
import request from 'supertest';
import { aPushEntry, anItem } from '../factories/items';
import { Cluster, startCluster } from '../support/cluster';
import { expectError } from '../support/http';
import { TestNode, startNode } from '../support/node';

const JSON_TYPE = { 'Content-Type': 'application/json' };
/** `data` with every key a framework transform may drop, at the top and nested. */
const TRICKY = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":[{"__proto__":null}]}},"prototype":"p","ok":true}';

/** `data` nested `levels` deep: {"d":{"d":…{}…}}, counting the data object itself. */
function nested(levels: number): string {
  return `${'{"d":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
}

const same = (a: unknown, b: unknown) => expect(canonicalize(a)).toBe(canonicalize(b));

describe('request bodies', () => {
  let node: TestNode;
  const api = () => request(node.url);
  const post = (path: string, text: string, headers: Record<string, string> = JSON_TYPE) =>
    api().post(path).set(headers).send(text);

  beforeAll(async () => {
    node = await startNode({ id: 'a' });
  });
  afterAll(() => node?.stop());

  it('stores and returns __proto__, constructor and prototype keys at any depth (POST, PUT and push)', async () => {
    const expected = JSON.parse(TRICKY);
    const created = await post('/items', `{"data":${TRICKY}}`).expect(201);
    same(created.body.data, expected);
    same((await api().get(`/items/${created.body.id}`).expect(200)).body.data, expected);
    const put = await api().put(`/items/${anItem().id}`).set(JSON_TYPE).send(`{"data":${TRICKY}}`).expect(201);
    same(put.body.data, expected);
    const entry = aPushEntry({ data: expected });
    const pushed = JSON.stringify({ node: 'b', entries: [entry] }); // JSON.stringify keeps an own __proto__ key
    expect(pushed).toContain('"__proto__":{"polluted":1}');
    await api().put('/items/transactions').set(JSON_TYPE).send(pushed).expect(200, { applied: 1, unchanged: 0, superseded: 0 });
    same((await api().get(`/items/${entry.itemId}`).expect(200)).body.data, expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('takes data nested 100 levels and refuses 101, or 50,000, in any field, with a 400', async () => {
    await post('/items', `{"data":${nested(100)}}`).expect(201);
    expectError(await post('/items', `{"data":${nested(101)}}`), 400, /nested deeper than 100 levels/);
    expectError(await post('/items', `{"data":${nested(50_000)}}`), 400, /nested deeper than 100 levels/);
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`; // within the 64 KiB an admin body may take
    expectError(await post('/admin/sync', `{"peers":${deep}}`), 400, /nested deeper/);
    expectError(await post('/items/batch', `{"ids":${deep}}`), 400, /nested deeper/);
    const entry = JSON.stringify({ ...aPushEntry(), data: '@' }).replace('"@"', nested(50_000));
    expectError(
      await api().put('/items/transactions').set(JSON_TYPE).send(`{"node":"b","entries":[${entry}]}`),
      400,
      /nested deeper/,
    );
    expectError(
      await api()
        .put(`/items/${anItem().id}`)
        .set(JSON_TYPE)
        .send(`{"data":${nested(50_000)}}`),
      400,
      /nested/,
    );
  });

  it('refuses what jsonb cannot hold exactly: \\u0000 in a key or string, numbers out of range or precision', async () => {
    expectError(await post('/items', '{"data":{"a\\u0000b":1}}'), 400, /\\u0000/);
    expectError(await post('/items', '{"data":{"x":["\\u0000"]}}'), 400, /\\u0000/);
    expectError(await post('/items', '{"data":{"big":1e400}}'), 400, /data\.big is a number outside the range/);
    expectError(await post('/items', '{"data":{"tiny":1e-400}}'), 400, /data\.tiny is a number that cannot be stored exactly/);
    expectError(await post('/items', '{"data":{"id":12345678901234567890}}'), 400, /data\.id .* cannot be stored exactly/);
  });

  it('decodes gzip and refuses a Content-Encoding that does not decode with a 400', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify(anItem())));
    // fetch sends the bytes as they are (supertest would serialise a Buffer as JSON).
    const res = await fetch(`${node.url}/items`, { method: 'POST', headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body });
    expect(res.status).toBe(201);
    const garbage = await api()
      .post('/items')
      .set({ ...JSON_TYPE, 'Content-Encoding': 'gzip' })
      .send(JSON.stringify(anItem()));
    expectError(garbage, 400, /does not decode as Content-Encoding gzip/);
    expectError(
      await post('/items', JSON.stringify(anItem()), { ...JSON_TYPE, 'Content-Encoding': 'zstd-x' }),
      400,
      /Content-Encoding/,
    );
  });

  it('answers 415 to a body that is not application/json, and takes an empty body with no type', async () => {
    const text = JSON.stringify(anItem());
    expectError(await post('/items', text, { 'Content-Type': 'text/plain' }), 415, /application\/json/);
    expectError(await post('/items', text, { 'Content-Type': 'application/x-www-form-urlencoded' }), 415, /application\/json/);
    expectError(await post('/items', text, { 'Content-Type': 'application/json; charset=latin1' }), 415, /UTF-8/);
    await post('/items', text, { 'Content-Type': 'application/json; charset=utf-8' }).expect(201);
    await api().post('/admin/sync').expect(200, { results: [] });
  });

  it("answers 413 over each route's own limit: about 2 MiB for an item, 128 KiB for a batch, 64 KiB for admin", async () => {
    const big = (bytes: number) => JSON.stringify({ data: { s: 'x'.repeat(bytes) } });
    expectError(await post('/items', big(2.5 * 1024 * 1024)), 413, /limit/);
    expectError(await post('/items', big(1024 * 1024)), 413, /data is \d+ bytes serialised; the limit is 1048576/);
    expectError(await post('/items/batch', JSON.stringify({ ids: ['0'.repeat(200 * 1024)] })), 413, /131072 byte limit/);
    expectError(await post('/admin/sync', JSON.stringify({ peers: ['x'.repeat(100 * 1024)] })), 413, /65536 byte limit/);
  });

  it('takes a push of several MiB, and refuses one over 16 MiB with a 413', async () => {
    const entries = Array.from({ length: 8 }, () => aPushEntry({ data: { s: 'y'.repeat(1000 * 1000) } }));
    await api()
      .put('/items/transactions')
      .set(JSON_TYPE)
      .send(JSON.stringify({ node: 'b', entries }))
      .expect(200);
    const over = JSON.stringify({ node: 'b', entries: [], pad: 'z'.repeat(17 * 1024 * 1024) });
    expectError(await api().put('/items/transactions').set(JSON_TYPE).send(over), 413, /16777216 byte limit/);
  });
});

describe('keys such as __proto__ between nodes', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(['a', 'b']);
  });
  afterAll(() => cluster?.stop());

  it('sync like any other key', async () => {
    const { a, b } = cluster.nodes;
    const created = (await request(a.url).post('/items').set(JSON_TYPE).send(`{"data":${TRICKY}}`).expect(201)).body;
    expect(await cluster.sync('a')).toMatchObject([{ ok: true, pushed: 1 }]);
    const onB = (await request(b.url).get(`/items/${created.id}`).expect(200)).body;
    same(onB.data, JSON.parse(TRICKY));
    expect(onB.fingerprint).toBe(created.fingerprint);
  });
});
