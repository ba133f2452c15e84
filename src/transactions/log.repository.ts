import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EchoFilter } from '../items/items.repository';
import { VersionRow, versionFromRow } from '../items/version-row';
import { Version } from '../core/version';
import { LOG_START, LogPosition, laterOf } from '../core/log-position';
import { MAX_PAGE_DATA_BYTES } from '../core/limits';
import { Statements, named } from '../db/statements';
import { HORIZON, logPageSql } from './log-page.sql';

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

const VISIBLE = `pos_xid < ${HORIZON}`;

/** The log page statements: the whole log, or without a peer's echoes (served by `items_by_source`). */
const LOG_PAGE = {
  plain: { keys: named('log_page_keys', logPageSql(false, false)), data: named('log_page_data', logPageSql(true, false)) },
  echo: {
    keys: named('log_page_echo_keys', logPageSql(false, true)),
    data: named('log_page_echo_data', logPageSql(true, true)),
  },
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
   * time and `echo` leaves out the echoes of a peer (see NOT_ECHO) without
   * reading them, by ranges of `items_by_source` (see logPageSql); a page that
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
      LOG_PAGE[options.echo ? 'echo' : 'plain'][withData ? 'data' : 'keys'],
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

  /**
   * How many entries a reader can see after `after`, leaving out those from
   * `excludeSource`, counted up to `cap`: an index range scan over at most
   * `cap` positions, so a large backlog costs no more than that.
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
