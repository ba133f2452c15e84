import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { SYNC_PAGE_SIZE } from '../../src/core/limits';
import { LOG_START, LogPosition } from '../../src/core/log-position';
import { NamedStatement, Statements } from '../../src/db/statements';
import { EchoFilter } from '../../src/items/items.repository';
import { logPageSql } from '../../src/transactions/log-page.sql';
import { LogRepository, LogSlice } from '../../src/transactions/log.repository';
import { LOG_ROWS_EPOCH, LogRowSpec, logRowsArb } from '../factories/log-rows';
import { addLogRows, storeLogRows } from '../support/log-rows';
import { TestNode, startNode } from '../support/node';

const at = (xid: number, seq: number) => `${xid}.${seq}`;
const positionsOf = (slice: LogSlice) => slice.rows.map((row) => at(Number(row.position.xid), Number(row.position.seq)));
const byPosition = (a: LogRowSpec, b: LogRowSpec) => a.xid - b.xid || a.seq - b.seq;

/** What a reader after `after` should be offered: NOT_ECHO and `earliest`, as plain TypeScript. */
function offered(rows: LogRowSpec[], after: LogPosition, echo: EchoFilter, earliest?: Date): LogRowSpec[] {
  const [xid, seq] = [Number(after.xid), Number(after.seq)];
  return rows
    .filter((row) => row.xid > xid || (row.xid === xid && row.seq > seq))
    .filter((row) => row.source !== echo.peer || (echo.floor !== null && row.xid < Number(echo.floor)))
    .filter((row) => !earliest || LOG_ROWS_EPOCH + row.recordedAfterS * 1000 >= earliest.getTime())
    .sort(byPosition);
}

const positionArb = fc.record({ xid: fc.integer({ min: 0, max: 13 }), seq: fc.integer({ min: 0, max: 41 }) });
const echoArb = fc.record({
  peer: fc.constantFrom('p', 'q', 'r', 'z'),
  floor: fc.option(fc.integer({ min: 0, max: 14 }).map(String), { nil: null }),
});
const earliestArb = fc.option(
  fc.integer({ min: 0, max: 21 }).map((s) => new Date(LOG_ROWS_EPOCH + s * 1000)),
  { nil: undefined },
);

/** Every scan of `items` in a plan (JSON EXPLAIN ANALYZE): the rows it returned plus those it read and dropped. */
function rowsExamined(plan: Record<string, unknown>): number {
  const loops = Number(plan['Actual Loops'] ?? 0);
  const onItems = plan['Relation Name'] === 'items' || String(plan['Index Name'] ?? '').startsWith('items_');
  const read = ['Actual Rows', 'Rows Removed by Filter', 'Rows Removed by Index Recheck'];
  const own = onItems ? read.reduce((sum, key) => sum + Number(plan[key] ?? 0), 0) * loops : 0;
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return own + children.reduce((sum, child) => sum + rowsExamined(child), 0);
}

/**
 * The push phase reads this node's log without a peer's echoes. That read
 * takes ranges of the (source, position) index, and must return exactly what
 * the walk over every position with NOT_ECHO returns, without visiting the echoes.
 */
describe('the log read without the echoes of a peer', () => {
  let node: TestNode;
  let log: LogRepository;
  let db: DataSource;

  beforeAll(async () => {
    node = await startNode({ id: 'a' });
    log = node.app.get(LogRepository);
    db = node.app.get(DataSource);
  });
  afterAll(() => node?.stop());

  it('leaves out what came from the peer, except what it sent before its echo floor', async () => {
    const rows: LogRowSpec[] = [
      { source: 'p', xid: 5, seq: 1, recordedAfterS: 0, body: 'p before the floor' },
      { source: null, xid: 10, seq: 2, recordedAfterS: 0, body: 'written here' },
      { source: 'q', xid: 11, seq: 3, recordedAfterS: 0, body: 'from another peer' },
      { source: 'p', xid: 12, seq: 4, recordedAfterS: 0, body: 'p after the floor' },
      { source: 'r', xid: 13, seq: 5, recordedAfterS: 0, body: null },
    ];
    await storeLogRows(db, rows);
    const withFloor = await log.readAfter(undefined, 10, { echo: { peer: 'p', floor: '8' } });
    expect(positionsOf(withFloor)).toEqual([at(5, 1), at(10, 2), at(11, 3), at(13, 5)]);
    expect(withFloor.end).toEqual({ xid: '13', seq: '5' });
    const noFloor = await log.readAfter(undefined, 10, { echo: { peer: 'p', floor: null } });
    expect(positionsOf(noFloor)).toEqual([at(10, 2), at(11, 3), at(13, 5)]);
  });

  it('returns row for row what the position walk with the echo filter returns', async () => {
    const paramsArb = fc.record({
      after: positionArb,
      limit: fc.integer({ min: 1, max: 42 }),
      earliest: earliestArb,
      echo: echoArb,
      maxBytes: fc.option(fc.integer({ min: 0, max: 1500 }), { nil: null }),
      withData: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(logRowsArb, paramsArb, async (rows, p) => {
        await storeLogRows(db, rows);
        const values = [p.after.xid, p.after.seq, p.earliest ?? null, p.echo.peer, p.echo.floor, p.maxBytes, p.limit + 1];
        const walked = await db.query(logPageSql(p.withData, false), values);
        const ranged = await db.query(logPageSql(p.withData, true), values);
        expect(ranged).toEqual(walked);
      }),
      { numRuns: 150 },
    );
  });

  it('offers, page by page, every entry that is no echo once, and ends at the newest position', async () => {
    await fc.assert(
      fc.asyncProperty(
        logRowsArb,
        positionArb,
        fc.integer({ min: 1, max: 8 }),
        echoArb,
        earliestArb,
        async (rows, start, limit, echo, earliest) => {
          await storeLogRows(db, rows);
          const after = { xid: String(start.xid), seq: String(start.seq) };
          const seen: string[] = [];
          let slice: LogSlice = { rows: [], hasMore: true, end: after };
          while (slice.hasMore) {
            slice = await log.readAfter(slice.end, limit, { echo, earliest });
            expect(slice.rows.length).toBeLessThanOrEqual(limit);
            seen.push(...positionsOf(slice));
          }
          expect(seen).toEqual(offered(rows, after, echo, earliest).map((row) => at(row.xid, row.seq)));
          const newest = [...rows].sort(byPosition).pop();
          const tail = newest ? { xid: String(newest.xid), seq: String(newest.seq) } : LOG_START;
          const beyond = start.xid > Number(tail.xid) || (start.xid === Number(tail.xid) && start.seq > Number(tail.seq));
          expect(slice.end).toEqual(beyond ? after : tail);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads ranges bounded by the page, not the echoes, whichever plan PostgreSQL picks', async () => {
    const echoes = 100_000;
    await storeLogRows(db, []);
    await addLogRows(db, { source: null, xid: 10, firstSeq: 1, count: 15 });
    await addLogRows(db, { source: 'p', xid: 20, firstSeq: 100, count: echoes });
    await addLogRows(db, { source: 'q', xid: 30, firstSeq: echoes + 100, count: 5 });
    await addLogRows(db, { source: null, xid: 30, firstSeq: echoes + 200, count: 5 });
    const sources = 3;
    const [{ cost }] = await db.query(`SELECT current_setting('jit_above_cost')::float AS cost`);
    const jitAboveCost = Number(cost);
    for (const limit of [10, SYNC_PAGE_SIZE]) {
      const { slice, statement, values } = await readCaught(limit);
      expect(slice.rows.length).toBe(Math.min(limit, 25));
      expect(slice.rows.every((row) => row.source !== 'p')).toBe(true);
      // Without statistics and with, planned for these values and for any (as a named statement may be).
      for (const plan of await explainEveryWay(statement, values)) {
        expect(rowsExamined(plan.Plan as Record<string, unknown>)).toBeLessThanOrEqual((sources + 1) * (limit + 1) + sources + 2);
        // Compiling a read of a few milliseconds costs a hundred: its estimate stays far under the JIT threshold,
        // so larger rows or a larger table do not tip it over.
        expect(plan.JIT).toBeUndefined();
        expect((plan.Plan as { 'Total Cost': number })['Total Cost']).toBeLessThan(jitAboveCost / 4);
      }
    }
  });

  /** A read of the repository, and the statement and values it ran. */
  async function readCaught(limit: number) {
    const spy = jest.spyOn(node.app.get(Statements), 'rows');
    try {
      const slice = await log.readAfter(undefined, limit, { echo: { peer: 'p', floor: null } });
      const [statement, values] = spy.mock.calls[0] as [NamedStatement, unknown[]];
      return { slice, statement, values };
    } finally {
      spy.mockRestore();
    }
  }

  async function explainEveryWay(statement: NamedStatement, values: unknown[]): Promise<Record<string, unknown>[]> {
    const runner = db.createQueryRunner();
    await runner.connect();
    const plans: Record<string, unknown>[] = [];
    try {
      await runner.query(`PREPARE echo_read AS ${statement.text}`);
      const args = values.map((value) => (value === null ? 'NULL' : `'${String(value)}'`)).join(', ');
      for (const analyze of [false, true]) {
        if (analyze) await runner.query(`ANALYZE items`);
        for (const mode of ['force_custom_plan', 'force_generic_plan']) {
          await runner.query(`SET plan_cache_mode = ${mode}`);
          const [{ 'QUERY PLAN': explained }] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE echo_read(${args})`);
          plans.push(explained[0]);
        }
      }
      return plans;
    } finally {
      await runner.query(`DEALLOCATE echo_read`).catch(() => undefined);
      await runner.query(`RESET plan_cache_mode`);
      await runner.release();
    }
  }
});
