import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { VERSION_COLUMNS, VersionRow, versionFromRow } from '../items/items.repository';
import { Version } from '../items/version';
import { LOG_START, LogPosition } from './log-cursor';

export interface LogRow {
  version: Version;
  position: LogPosition;
  recordedAt: Date;
  /** The peer this version came from; null for this node's own writes. */
  source: string | null;
}

export interface LogSlice {
  rows: LogRow[];
  hasMore: boolean;
  /** Where a reader resumes: the last row's position, or where an empty page stands. */
  end: LogPosition;
}

/** A page with bodies stops growing past this many bytes of data, whatever the limit. */
export const MAX_PAGE_DATA_BYTES = 8 * 1024 * 1024;

/**
 * Only entries written by transactions older than every transaction still
 * running are served: one that started earlier and commits later would
 * otherwise land behind a cursor already handed out.
 */
const VISIBLE = `pos_xid < (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`;

type LogQueryRow = VersionRow & { pos_xid: string; pos_seq: string; recorded_at: Date; source: string | null; running_bytes?: string };

/** Owns the SQL that reads this node's log. */
@Injectable()
export class LogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async readAfter(
    after: LogPosition | undefined,
    earliest: Date | undefined,
    limit: number,
    withData: boolean,
  ): Promise<LogSlice> {
    const from = after ?? LOG_START;
    const columns = withData ? VERSION_COLUMNS : VERSION_COLUMNS.replace('data, ', '');
    // The running size is taken over the limited rows only, never the rest of the log.
    const rows: LogQueryRow[] = await this.dataSource.query(
      `SELECT page.*, sum(coalesce(octet_length(page.data::text), 0)) OVER (ORDER BY pos_xid, pos_seq) AS running_bytes
       FROM (SELECT ${columns}${withData ? '' : ', NULL::jsonb AS data'}, pos_xid, pos_seq, recorded_at, source FROM items
             WHERE (pos_xid, pos_seq) > ($1::bigint, $2::bigint) AND ${VISIBLE}
               AND ($3::timestamptz IS NULL OR recorded_at >= $3::timestamptz)
             ORDER BY pos_xid, pos_seq LIMIT $4) page
       ORDER BY pos_xid, pos_seq`,
      [from.xid, from.seq, after ? null : (earliest ?? null), limit + 1],
    );
    let page = rows.slice(0, limit);
    if (withData) page = page.filter((row, i) => i === 0 || Number(row.running_bytes) <= MAX_PAGE_DATA_BYTES);
    const hasMore = rows.length > page.length;
    const last = page[page.length - 1];
    const end = last ? { xid: last.pos_xid, seq: last.pos_seq } : after ? from : await this.visibleEnd();
    return {
      rows: page.map((row) => ({
        version: versionFromRow(row),
        position: { xid: row.pos_xid, seq: row.pos_seq },
        recordedAt: row.recorded_at,
        source: row.source,
      })),
      hasMore,
      end,
    };
  }

  /** How many entries a reader can see after `after`. */
  async countAfter(after: LogPosition): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM items WHERE (pos_xid, pos_seq) > ($1::bigint, $2::bigint) AND ${VISIBLE}`,
      [after.xid, after.seq],
    );
    return row.n;
  }

  /** The position of the last entry a reader can see now. */
  private async visibleEnd(): Promise<LogPosition> {
    const rows: { pos_xid: string; pos_seq: string }[] = await this.dataSource.query(
      `SELECT pos_xid, pos_seq FROM items WHERE ${VISIBLE} ORDER BY pos_xid DESC, pos_seq DESC LIMIT 1`,
    );
    return rows[0] ? { xid: rows[0].pos_xid, seq: rows[0].pos_seq } : LOG_START;
  }

  /** Which of `ids` this node changed after `basis` (the optimistic lock of a push). */
  async changedAfter(tx: EntityManager, ids: string[], basis: LogPosition): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(
      `SELECT id::text AS id FROM items
       WHERE id = ANY($1::uuid[]) AND (pos_xid, pos_seq) > ($2::bigint, $3::bigint) ORDER BY id`,
      [ids, basis.xid, basis.seq],
    );
    return rows.map((row) => row.id);
  }
}
