import { DataSource } from 'typeorm';
import { LOG_ROWS_EPOCH, LogRowSpec } from '../factories/log-rows';

/**
 * Makes `rows` the whole items table, at exactly their positions, sources and
 * recording times: what the log reads, written below the write paths so a
 * test can place rows anywhere in the log.
 */
export async function storeLogRows(db: DataSource, rows: LogRowSpec[]): Promise<void> {
  await db.query(`TRUNCATE items`);
  await db.query(
    `INSERT INTO items (id, data, deleted, updated_ms, origin, priority, fingerprint, source, pos_xid, pos_seq, recorded_at)
     SELECT gen_random_uuid(), CASE WHEN r.body IS NULL THEN NULL ELSE jsonb_build_object('s', r.body) END,
            r.body IS NULL, 0, 'a', 0, md5(r.seq::text) || '00000000', r.source, r.xid, r.seq,
            to_timestamp($2::bigint / 1000.0) + make_interval(secs => r.recorded_after_s)
     FROM jsonb_to_recordset($1::jsonb) AS r(source text, xid bigint, seq bigint, recorded_after_s int, body text)`,
    [JSON.stringify(rows.map((row) => ({ ...row, recorded_after_s: row.recordedAfterS }))), LOG_ROWS_EPOCH],
  );
}

/** Adds `count` rows from `source`, all written by transaction `xid`, at sequence numbers from `firstSeq` on. */
export async function addLogRows(
  db: DataSource,
  rows: { source: string | null; xid: number; firstSeq: number; count: number },
): Promise<void> {
  await db.query(
    `INSERT INTO items (id, data, deleted, updated_ms, origin, priority, fingerprint, source, pos_xid, pos_seq)
     SELECT gen_random_uuid(), '{"s": "x"}', false, 0, 'a', 0, md5(g::text) || '00000000', $1::text, $2::bigint, g
     FROM generate_series($3::bigint, $3::bigint + $4::bigint - 1) AS g`,
    [rows.source, rows.xid, rows.firstSeq, rows.count],
  );
}
