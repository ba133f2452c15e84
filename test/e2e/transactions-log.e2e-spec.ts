import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { ItemView } from '../../src/items/item.view';
import type { LogEntryView } from '../../src/transactions/log-entry.view';
import { anItem, someData } from '../factories/items';
import { expectError } from '../support/http';
import { followLog, logEnd, readLogPage, readLogToEnd } from '../support/log';
import { TestNode, startNode } from '../support/node';
import { REFUSAL } from '../../src/common/refusal';

const PUBLIC_URL = 'http://log.example.test';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const idsOf = (entries: LogEntryView[]) => entries.map((entry) => entry.itemId);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /items/transactions', () => {
  let node: TestNode;
  let other: TestNode;
  const api = () => request(node.url);

  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { NODE_PRIORITY: '3', PUBLIC_URL } });
    other = await startNode({ id: 'b' });
  });
  afterAll(async () => {
    await node?.stop();
    await other?.stop();
  });

  async function create(): Promise<ItemView> {
    return (await api().post('/items').send(anItem()).expect(201)).body;
  }

  /** Reads on from `after` until every id in `ids` has been seen. */
  function readUntilSeen(after: string, ids: string[], limit = 1000) {
    return followLog(node.url, { after, limit, done: (entries) => ids.every((id) => idsOf(entries).includes(id)) });
  }

  it('has one entry per item, at its latest position, in log order', async () => {
    const start = await logEnd(node.url);
    const [x, y, z] = [await create(), await create(), await create()];
    const updated = (await api().put(`/items/${x.id}`).send({ data: someData() }).expect(200)).body;

    const read = await followLog(node.url, {
      after: start,
      limit: 1000,
      done: (entries) => entries.some((entry) => entry.fingerprint === updated.fingerprint),
    });
    const mine = read.entries.filter((entry) => [x.id, y.id, z.id].includes(entry.itemId));
    expect(idsOf(mine)).toEqual([y.id, z.id, x.id]);
    expect(mine[2].fingerprint).toBe(updated.fingerprint);

    const whole = await readLogToEnd(node.url);
    expect(new Set(idsOf(whole.entries)).size).toBe(whole.entries.length);
    expect(idsOf(whole.entries).slice(-3)).toEqual(idsOf(mine).slice(-3));
  });

  it('answers a log page and a batch as JSON with a Content-Length in bytes, multi-byte data across pieces', async () => {
    const start = await logEnd(node.url);
    // Each body ~12 KB of three-byte characters: a page of them spans several pieces of the answer.
    const data = { text: 'é€'.repeat(2000), emoji: '😀'.repeat(500) };
    const ids: string[] = [];
    for (let i = 0; i < 8; i++)
      ids.push(
        (
          await api()
            .post('/items')
            .send({ data: { ...data, i } })
            .expect(201)
        ).body.id,
      );
    const answers = [
      await api().get('/items/transactions').query({ after: start, include: 'data', limit: 100 }).buffer(true).expect(200),
      await api().post('/items/batch').send({ ids }).buffer(true).expect(200),
    ];
    for (const res of answers) {
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    }
    const [page, batch] = answers.map((res) => JSON.parse(res.text));
    const byI = (a: { i: number }, b: { i: number }) => a.i - b.i;
    const expected = ids.map((_, i) => ({ ...data, i }));
    expect(
      page.entries
        .filter((e: LogEntryView) => ids.includes(e.itemId))
        .map((e: LogEntryView) => e.data)
        .sort(byI),
    ).toEqual(expected);
    expect(batch.items.map((item: ItemView) => item.data).sort(byI)).toEqual(expected);
  });

  it('shows the fields of API.md, and data only with include=data', async () => {
    const start = await logEnd(node.url);
    const live = await create();
    const gone = await create();
    await api().delete(`/items/${gone.id}`).expect(204);
    const tombstone = (await api().get(`/items/${gone.id}`).expect(410)).body;
    await readUntilSeen(start, [live.id, gone.id]);

    const plain = await readLogToEnd(node.url, { after: start });
    const entry = plain.entries.find((e) => e.itemId === live.id)!;
    expect(entry).toStrictEqual({
      itemId: live.id,
      updatedAt: live.updatedAt,
      fingerprint: live.fingerprint,
      deleted: false,
      origin: 'a',
      priority: 3,
      recordedAt: expect.stringMatching(ISO_MS),
      itemURI: `${PUBLIC_URL}/items/${live.id}`,
    });
    expect(Math.abs(Date.parse(entry.recordedAt) - Date.now())).toBeLessThan(60_000);

    const page = await readLogPage(node.url, { after: start, include: 'data' });
    expect(page.node).toBe('a');
    expect(Object.keys(page).sort()).toEqual(['cursor', 'entries', 'hasMore', 'node']);
    expect(page.entries.find((e) => e.itemId === live.id)).toStrictEqual({ ...entry, data: live.data });
    expect(page.entries.find((e) => e.itemId === gone.id)).toMatchObject({
      deleted: true,
      data: null,
      fingerprint: tombstone.fingerprint,
      updatedAt: tombstone.updatedAt,
    });
  });

  it('honours limit from 1 to 10000 and says whether more follow', async () => {
    const start = await logEnd(node.url);
    const items = [await create(), await create(), await create()];
    await readUntilSeen(
      start,
      items.map((item) => item.id),
    );

    const first = await readLogPage(node.url, { after: start, limit: 2 });
    expect(first.entries).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const rest = await readLogToEnd(node.url, { after: first.cursor, limit: 1 });
    const ids = items.map((item) => item.id);
    const seen = [...idsOf(first.entries), ...idsOf(rest.entries)];
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    // hasMore is exact: the page holding the last entry already says false.
    expect(rest.pages).toBe(rest.entries.length);
    const last = await readLogPage(node.url, { after: rest.cursor, limit: 10000 });
    expect(last).toMatchObject({ entries: [], hasMore: false });
    expect((await readLogPage(node.url, { limit: 1 })).entries).toHaveLength(1);
  });

  it.each([
    ['limit=0', { limit: 0 }, /limit must not be less than 1/],
    ['limit=10001', { limit: 10001 }, /limit must not be greater than 10000/],
    ['limit=-5', { limit: -5 }, /limit must not be less than 1/],
    ['limit=abc', { limit: 'abc' }, /limit must be an integer/],
    ['an unknown include', { include: 'bodies' }, /include must be a comma list/],
    ['earliest not a time', { earliest: 'yesterday' }, /earliest must be an ISO-8601/],
    ['earliest on February 31', { earliest: '2026-02-31T00:00:00.000Z' }, /earliest/],
    ['an unknown parameter', { since: 'x' }, /since should not exist/],
  ])('is 400 for %s', async (_, query, message) => {
    expectError(await api().get('/items/transactions').query(query), 400, message);
  });

  it('gives a cursor on an empty page, and reading on from it returns only later writes', async () => {
    const end = await logEnd(node.url);
    const empty = await readLogPage(node.url, { after: end });
    expect(empty).toMatchObject({ node: 'a', entries: [], hasMore: false });
    expect(typeof empty.cursor).toBe('string');
    expect((await readLogPage(node.url, { after: empty.cursor })).entries).toEqual([]);

    const item = await create();
    const read = await readUntilSeen(empty.cursor, [item.id]);
    expect(idsOf(read.entries)).toEqual([item.id]);
    expect((await readLogPage(node.url, { after: read.cursor })).entries).toEqual([]);
  });

  it('gives a resumable cursor on an empty first page (earliest in the future)', async () => {
    const page = await readLogPage(node.url, { earliest: '2999-01-01T00:00:00.000Z' });
    expect(page).toMatchObject({ entries: [], hasMore: false });
    expect(typeof page.cursor).toBe('string');
    const item = await create();
    expect(idsOf((await readUntilSeen(page.cursor, [item.id])).entries)).toEqual([item.id]);
  });

  it('filters by recordedAt with earliest, inclusive', async () => {
    const start = await logEnd(node.url);
    const before = await create();
    await sleep(30);
    const after = await create();
    const read = await readUntilSeen(start, [before.id, after.id]);
    const recordedAt = read.entries.find((e) => e.itemId === after.id)!.recordedAt;

    const filtered = await readLogPage(node.url, { earliest: recordedAt, limit: 10000 });
    expect(idsOf(filtered.entries)).toContain(after.id);
    expect(idsOf(filtered.entries)).not.toContain(before.id);
    expect(filtered.entries.every((e) => e.recordedAt >= recordedAt)).toBe(true);
    const both = await readLogPage(node.url, { earliest: '2000-01-01T00:00:00Z', limit: 10000 });
    expect(idsOf(both.entries)).toEqual(expect.arrayContaining([before.id, after.id]));
  });

  it('lets after take precedence over earliest', async () => {
    const start = await logEnd(node.url);
    const item = await create();
    await readUntilSeen(start, [item.id]);
    const page = await readLogPage(node.url, { after: start, earliest: '2999-01-01T00:00:00.000Z' });
    expect(idsOf(page.entries)).toContain(item.id);
  });

  it.each([
    ['a random string', () => randomBytes(24).toString('base64url'), /after is not a cursor of this node's log/],
    ['a forged cursor', () => Buffer.from('v1.nonsense.1.2').toString('base64url'), /after is not a cursor/],
    ['an empty string', () => '', /after is not a cursor/],
  ])('is 400 for a cursor that is %s', async (_, cursor, message) => {
    const res = await api().get('/items/transactions').query({ after: cursor() });
    expectError(res, 400, message);
    expect(res.body.reason).toBe(REFUSAL.badCursor);
  });

  it('is 400 for a cursor issued by another node', async () => {
    await request(other.url).post('/items').send(anItem()).expect(201);
    const foreign = (await readLogPage(other.url)).cursor;
    const res = await api().get('/items/transactions').query({ after: foreign });
    expectError(res, 400, /issued by another node/);
    expect(res.body.reason).toBe(REFUSAL.foreignCursor);
  });
});
