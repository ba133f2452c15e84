import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EchoFilter, NOT_ECHO } from '../items/items.repository';
import { KEY_COLUMNS, VersionRow, versionFromRow } from '../items/version-row';
import { Version } from '../core/version';
import { LOG_START, LogPosition, laterOf } from '../core/log-position';
import { MAX_PAGE_DATA_BYTES } from '../core/limits';
import { sizedPage } from '../db/sized-page';
import { Statements, named } from '../db/statements';

export interface LogRow {
  version: Version;
  position: LogPosition;
  recordedAt: Date;
  /** The peer this version came from; null for this node's own writes. */
  source: string | null;
  /** The body as the database's JSON text, when read with bodies: served as it is, never parsed here. */
  dataText: string | null;
}

export interface LogSlice {
  rows: LogRow[];
  hasMore: boolean;
  /** Where a reader resumes: the last row's position, or on the last page the newest visible one. */
  end: LogPosition;
}

/**
 * The log horizon: entries are served only when written by a transaction
 * older than every transaction still running in this snapshot, since one that
 * started earlier and commits later would otherwise land behind a cursor
 * already handed out. A running transaction is passed over only when it is
 * seen to belong to another database on the server (it cannot write here);
 * one that cannot be placed (finished since, prepared, or hidden from this
 * role) still holds the horizon back. So a long transaction elsewhere on the
 * server never stalls this log, and nothing is ever skipped. (It reads the
 * function under the pg_stat_activity view and compares database oids: the
 * same rows, with less to plan on every log read.)
 */
const HORIZON = `(
  SELECT coalesce(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
     WHERE NOT EXISTS (SELECT 1 FROM pg_stat_get_activity(NULL) a
                       WHERE a.backend_xid = xid(x)
                         AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))),
    pg_snapshot_xmax(s)::text::bigint)
  FROM (SELECT pg_current_snapshot() AS s) snapshot)`;

const VISIBLE = `pos_xid < ${HORIZON}`;

/**
 * A page of the log after ($1, $2), at most $7 rows (the page size + 1),
 * with bodies or without: filtered by recording time ($3) and echoes ($4,
 * $5), and bounded in bytes ($6) over the limited rows only, so a page past
 * MAX_PAGE_DATA_BYTES never reaches this process and the rest of the log is
 * never read. Every row carries the newest visible position (the tail).
 */
function logPageSql(withData: boolean): string {
  return `WITH snap AS (SELECT ${HORIZON} AS xmin),
    page AS (
      SELECT r.*, coalesce(octet_length(r.data_text), 0) AS bytes FROM (
        SELECT ${KEY_COLUMNS}, ${withData ? 'data::text' : 'NULL::text'} AS data_text, pos_xid, pos_seq, recorded_at, source
        FROM items
        WHERE (pos_xid, pos_seq) > ($1::bigint, $2::bigint) AND pos_xid < (SELECT xmin FROM snap)
          AND ($3::timestamptz IS NULL OR recorded_at >= $3::timestamptz)
          AND ($4::text IS NULL OR ${NOT_ECHO})
        ORDER BY pos_xid, pos_seq LIMIT $7) r),
    ${sizedPage('pos_xid, pos_seq')},
    kept AS (SELECT * FROM sized WHERE $6::bigint IS NULL OR rn = 1 OR running <= $6::bigint),
    tail AS (
      SELECT pos_xid AS tail_xid, pos_seq AS tail_seq FROM items WHERE pos_xid < (SELECT xmin FROM snap)
      ORDER BY pos_xid DESC, pos_seq DESC LIMIT 1)
    SELECT kept.*, tail.* FROM tail LEFT JOIN kept ON true
    ORDER BY kept.pos_xid, kept.pos_seq`;
}

const LOG_PAGE = {
  keys: named('log_page_keys', logPageSql(false)),
  data: named('log_page_data', logPageSql(true)),
};

const ESTIMATE_AFTER = named('log_estimate_after', `SELECT greatest(0, last_value - $1::bigint)::text AS n FROM items_pos_seq`);

type LogQueryRow = VersionRow & {
  data_text: string | null;
  pos_xid: string;
  pos_seq: string;
  recorded_at: Date;
  source: string | null;
  found: string;
};

/** Owns the reads of this node's log: the items table in log-position order, below the horizon. */
@Injectable()
export class LogRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: Statements,
  ) {}

  /**
   * The entries after `after`, in log order. `earliest` filters by recording
   * time and `echo` leaves out the echoes of a peer (see NOT_ECHO); a page that
   * is the last one ends at the newest visible position, read in the same
   * snapshot, so a filtered reader moves past everything it examined.
   */
  async readAfter(
    after: LogPosition | undefined,
    limit: number,
    options: { earliest?: Date; withData?: boolean; echo?: EchoFilter } = {},
  ): Promise<LogSlice> {
    const from = after ?? LOG_START;
    const withData = options.withData ?? false;
    const rows = await this.statements.rows<Partial<LogQueryRow> & { tail_xid: string; tail_seq: string }>(
      LOG_PAGE[withData ? 'data' : 'keys'],
      [
        from.xid,
        from.seq,
        options.earliest ?? null,
        options.echo?.peer ?? null,
        options.echo?.floor ?? null,
        withData ? MAX_PAGE_DATA_BYTES : null,
        limit + 1,
      ],
    );
    const found = rows.filter((row) => row.id !== null && row.id !== undefined) as LogQueryRow[];
    const page = found.slice(0, limit);
    const hasMore = page.length > 0 && Number(page[0].found) > page.length;
    const last = page[page.length - 1];
    const tail = rows[0] ? { xid: rows[0].tail_xid, seq: rows[0].tail_seq } : from;
    const end = hasMore ? { xid: last.pos_xid, seq: last.pos_seq } : laterOf(tail, from);
    return {
      rows: page.map((row) => ({
        version: versionFromRow(row),
        position: { xid: row.pos_xid, seq: row.pos_seq },
        recordedAt: row.recorded_at,
        source: row.source,
        dataText: row.data_text,
      })),
      hasMore,
      end,
    };
  }

  /**
   * About how many entries follow `after`, for progress: positions issued
   * since, read off the position sequence. It counts an item written twice
   * twice, never reads a row, and so costs the same at any size.
   */
  async estimateAfter(after: LogPosition): Promise<number> {
    const [row] = await this.statements.rows<{ n: string }>(ESTIMATE_AFTER, [after.seq]);
    return Number(row.n);
  }

  /** How many entries a reader can see after `after`, leaving out those from `excludeSource`. */
  async countAfter(after: LogPosition, excludeSource?: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM items WHERE (pos_xid, pos_seq) > ($1::bigint, $2::bigint) AND ${VISIBLE}
         AND ($3::text IS NULL OR source IS DISTINCT FROM $3::text)`,
      [after.xid, after.seq, excludeSource ?? null],
    );
    return row.n;
  }

  /**
   * Like countAfter, but stops counting at `cap`: an index range scan over
   * at most `cap` positions, so a large backlog costs no more than that.
   */
  async countAfterUpTo(after: LogPosition, excludeSource: string, cap: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM items WHERE (pos_xid, pos_seq) > ($1::bigint, $2::bigint) AND ${VISIBLE}
           AND source IS DISTINCT FROM $3::text
         ORDER BY pos_xid, pos_seq LIMIT $4) AS capped`,
      [after.xid, after.seq, excludeSource, cap],
    );
    return row.n;
  }
}
