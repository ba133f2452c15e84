import { Client } from 'pg';
import request from 'supertest';
import { ItemsRepository } from '../../src/items/items.repository';
import type { LogEntryView } from '../../src/transactions/log-entry.view';
import { aPushEntry, anItem, anItemVersion } from '../factories/items';
import { followLog, logEnd, readLogToEnd } from '../support/log';
import { createDatabase } from '../support/database';
import { TestNode, startNode } from '../support/node';

const idsOf = (entries: LogEntryView[]) => entries.map((entry) => entry.itemId);
const countOf = (ids: string[], id: string) => ids.filter((each) => each === id).length;

/** A promise and the function that settles it, to hold a transaction open. */
function latch(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

/**
 * "Reading from a returned cursor never misses a change ... even when
 * transactions commit out of order or share a timestamp" (API.md).
 */
describe('the log under out-of-order commits and shared timestamps', () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startNode({ id: 'a' });
  });
  afterAll(() => node.stop());

  it('is not held back by a transaction open in another database on the server, but is by one in its own', async () => {
    const other = await createDatabase('elsewhere');
    const elsewhere = new Client({ connectionString: other.url });
    const here = new Client({ connectionString: node.database!.url });
    await Promise.all([elsewhere.connect(), here.connect()]);
    try {
      const start = await logEnd(node.url);
      await elsewhere.query('BEGIN');
      await elsewhere.query('CREATE TABLE held (x int)');
      const first = (await request(node.url).post('/items').send(anItem()).expect(201)).body;
      expect(idsOf((await readLogToEnd(node.url, { after: start })).entries)).toEqual([first.id]);

      await here.query('BEGIN');
      await here.query('CREATE TEMP TABLE held_here (x int)');
      const second = (await request(node.url).post('/items').send(anItem()).expect(201)).body;
      expect(idsOf((await readLogToEnd(node.url, { after: start })).entries)).toEqual([first.id]);
      await here.query('COMMIT');
      expect(idsOf((await readLogToEnd(node.url, { after: start })).entries)).toEqual([first.id, second.id]);
    } finally {
      await elsewhere.query('ROLLBACK').catch(() => undefined);
      await Promise.all([elsewhere.end(), here.end()]);
      await other.drop();
    }
  });

  it('shows a reader following cursors both writes when the first to start commits last', async () => {
    const repo = node.app.get(ItemsRepository);
    const start = await logEnd(node.url);
    const a = anItemVersion({ origin: 'a' });
    const aWritten = latch();
    const aHeld = latch();
    const aCommitted = repo.transaction(async (tx) => {
      await repo.applyVersions(tx, [a], null, 0);
      aWritten.release();
      await aHeld.promise;
    });
    let seen: string[] = [];
    let cursor = start;
    let b: { id: string };
    try {
      await aWritten.promise;
      b = (await request(node.url).post('/items').send(anItem()).expect(201)).body;
      // B is committed, A is not: a reader reads the log now, one entry per page.
      const during = await readLogToEnd(node.url, { after: cursor, limit: 1 });
      seen = idsOf(during.entries);
      cursor = during.cursor;
      expect(seen).not.toContain(a.id);
    } finally {
      aHeld.release();
      await aCommitted;
    }

    const after = await followLog(node.url, {
      after: cursor,
      limit: 1,
      done: (entries) => [...seen, ...idsOf(entries)].includes(a.id) && [...seen, ...idsOf(entries)].includes(b.id),
    });
    seen.push(...idsOf(after.entries));
    expect(countOf(seen, a.id)).toBe(1);
    expect(countOf(seen, b.id)).toBe(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(after.entries.find((entry) => entry.itemId === a.id)).toMatchObject({ fingerprint: a.fingerprint });
  });

  it('keeps a write committed while another transaction is open once that one rolls back', async () => {
    const repo = node.app.get(ItemsRepository);
    const start = await logEnd(node.url);
    const held = latch();
    const written = latch();
    const rolledBack = repo
      .transaction(async (tx) => {
        await repo.applyVersions(tx, [anItemVersion()], null, 0);
        written.release();
        await held.promise;
        throw new Error('roll back');
      })
      .catch(() => undefined);
    let b: { id: string };
    try {
      await written.promise;
      b = (await request(node.url).post('/items').send(anItem()).expect(201)).body;
      await readLogToEnd(node.url, { after: start });
    } finally {
      held.release();
      await rolledBack;
    }
    const read = await followLog(node.url, { after: start, limit: 1, done: (entries) => idsOf(entries).includes(b.id) });
    expect(countOf(idsOf(read.entries), b.id)).toBe(1);
  });

  it('serves 50 items pushed with one updatedAt in one transaction, limit=3, each exactly once', async () => {
    const start = await logEnd(node.url);
    const updatedAt = '2026-11-21T04:46:17.123Z';
    const entries = Array.from({ length: 50 }, () => aPushEntry({ updatedAt, origin: 'b' }));
    const pushed = await request(node.url).put('/items/transactions').send({ node: 'b', entries }).expect(200);
    expect(pushed.body).toEqual({ applied: 50, unchanged: 0, superseded: 0 });

    const ids = entries.map((entry) => entry.itemId);
    const read = await followLog(node.url, {
      after: start,
      limit: 3,
      done: (seen) => ids.every((id) => idsOf(seen).includes(id)),
    });
    const mine = read.entries.filter((entry) => ids.includes(entry.itemId));
    expect(mine).toHaveLength(50);
    expect(new Set(idsOf(mine)).size).toBe(50);
    expect(new Set(idsOf(read.entries)).size).toBe(read.entries.length);
    expect(new Set(mine.map((entry) => entry.recordedAt)).size).toBe(1);
    expect(mine.every((entry) => entry.updatedAt === updatedAt)).toBe(true);
    expect(read.pages).toBeGreaterThanOrEqual(17);
  });

  it('serves 50 items with one updatedAt written by 50 transactions, limit=3, each exactly once', async () => {
    const repo = node.app.get(ItemsRepository);
    const start = await logEnd(node.url);
    const updatedAtMs = Date.UTC(2026, 10, 21, 4, 46, 17, 123);
    const versions = Array.from({ length: 50 }, () => anItemVersion({ updatedAtMs, origin: 'c' }));
    const ids = versions.map((version) => version.id);
    // The reader follows cursors while the 50 transactions commit in whatever order they do.
    const [read] = await Promise.all([
      followLog(node.url, { after: start, limit: 3, done: (seen) => ids.every((id) => idsOf(seen).includes(id)) }),
      ...versions.map((version) => repo.transaction((tx) => repo.applyVersions(tx, [version], 'c', 0))),
    ]);
    const mine = idsOf(read.entries).filter((id) => ids.includes(id));
    expect(mine).toHaveLength(50);
    expect(new Set(mine).size).toBe(50);
  });
});
