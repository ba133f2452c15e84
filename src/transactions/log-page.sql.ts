import { KEY_COLUMNS, NOT_ECHO, VERSION_COLUMNS } from '../items/version-row';
import { sizedPage } from '../db/sized-page';

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
export const HORIZON = `(
  SELECT coalesce(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
     WHERE NOT EXISTS (SELECT 1 FROM pg_stat_get_activity(NULL) a
                       WHERE a.backend_xid = xid(x)
                         AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))),
    pg_snapshot_xmax(s)::text::bigint)
  FROM (SELECT pg_current_snapshot() AS s) snapshot)`;

const ROW_COLUMNS = 'pos_xid, pos_seq, recorded_at, source';
const AFTER_EARLIEST = '($3::timestamptz IS NULL OR recorded_at >= $3::timestamptz)';
const BELOW_HORIZON = 'pos_xid < (SELECT xmin FROM snap)';

/**
 * At most $7 rows after ($1, $2), in position order, walking `items_log_position`.
 * Echoes ($4, $5) are filtered as they are met, so this is for unfiltered
 * reads: a filtered read takes the ranges of `echoCandidates`.
 */
function plainRows(withData: boolean): string {
  return `SELECT ${KEY_COLUMNS}, ${withData ? 'data::text' : 'NULL::text'} AS data_text, ${ROW_COLUMNS}
    FROM items
    WHERE (pos_xid, pos_seq) > ($1::bigint, $2::bigint) AND ${BELOW_HORIZON} AND ${AFTER_EARLIEST}
      AND ($4::text IS NULL OR ${NOT_ECHO})
    ORDER BY pos_xid, pos_seq LIMIT $7`;
}

/**
 * The CTEs of an echo-filtered read: the first $7 rows after ($1, $2) of each
 * source, as ranges of `items_by_source` (source, pos_xid, pos_seq), so the
 * echoes of peer $4 are never visited. This node's own writes (source null)
 * are one range; every other source is found by a walk over the index's
 * distinct sources (one probe each, so a source no longer configured is
 * still offered) and read as one range, up to the horizon, or for $4 up to
 * its echo floor $5 (none without a floor): NOT_ECHO, as index bounds.
 * Each range is written in the index's own order and bounds (ordered by
 * `source` too, bounded by row values rather than `source = …`), so only a
 * range scan of this index serves it without sorting everything after $1:
 * no plan walks `items_log_position` and filters, with statistics or without.
 * The first $7 rows of all candidates by position are the page, since each
 * of them is among the first $7 of its own source. The sources go through an
 * array so the planner counts on a few, not the hundred it assumes of a
 * recursive query: with that many ranges a page's estimate passes
 * jit_above_cost, and compiling it costs a hundred times the read.
 */
function echoCandidates(withData: boolean): string {
  const columns = `${KEY_COLUMNS}, ${withData ? 'data' : 'NULL::jsonb'} AS body, ${ROW_COLUMNS}`;
  return `sources AS (
      (SELECT source FROM items WHERE source IS NOT NULL ORDER BY source LIMIT 1)
      UNION ALL
      SELECT (SELECT i.source FROM items i WHERE i.source > s.source ORDER BY i.source LIMIT 1)
      FROM sources s WHERE s.source IS NOT NULL),
    ranges AS (
      SELECT source, CASE WHEN source = $4::text THEN least($5::bigint, (SELECT xmin FROM snap))
                          ELSE (SELECT xmin FROM snap) END AS upto
      FROM unnest(ARRAY(SELECT source FROM sources WHERE source IS NOT NULL)) AS source
      WHERE source <> $4::text OR $5::bigint IS NOT NULL),
    candidates AS (
      (SELECT ${columns} FROM items
       WHERE source IS NULL AND (pos_xid, pos_seq) > ($1::bigint, $2::bigint) AND ${BELOW_HORIZON} AND ${AFTER_EARLIEST}
       ORDER BY source, pos_xid, pos_seq LIMIT $7)
      UNION ALL
      SELECT c.* FROM ranges r CROSS JOIN LATERAL (
        SELECT ${columns} FROM items
        WHERE (source, pos_xid, pos_seq) > (r.source, $1::bigint, $2::bigint) AND (source, pos_xid) < (r.source, r.upto)
          AND ${AFTER_EARLIEST}
        ORDER BY source, pos_xid, pos_seq LIMIT $7) c)`;
}

/**
 * A page of the log after ($1, $2), at most $7 rows (the page size + 1),
 * with bodies or without: filtered by recording time ($3) and, for `echo`,
 * by the echoes of peer $4 with echo floor $5 (see NOT_ECHO), and bounded in
 * bytes ($6) over the limited rows only, so a page past MAX_PAGE_DATA_BYTES
 * never reaches this process and the rest of the log is never read. Every
 * row carries the newest visible position (the tail).
 */
export function logPageSql(withData: boolean, echo: boolean): string {
  const rows = echo
    ? `SELECT ${VERSION_COLUMNS}, body::text AS data_text, ${ROW_COLUMNS} FROM candidates ORDER BY pos_xid, pos_seq LIMIT $7`
    : plainRows(withData);
  return `WITH${echo ? ' RECURSIVE' : ''} snap AS (SELECT ${HORIZON} AS xmin),
    ${echo ? `${echoCandidates(withData)},` : ''}
    page AS (SELECT r.*, coalesce(octet_length(r.data_text), 0) AS bytes FROM (${rows}) r),
    ${sizedPage('pos_xid, pos_seq')},
    kept AS (SELECT * FROM sized WHERE $6::bigint IS NULL OR rn = 1 OR running <= $6::bigint),
    tail AS (
      SELECT pos_xid AS tail_xid, pos_seq AS tail_seq FROM items WHERE ${BELOW_HORIZON}
      ORDER BY pos_xid DESC, pos_seq DESC LIMIT 1)
    SELECT kept.*, tail.* FROM tail LEFT JOIN kept ON true
    ORDER BY kept.pos_xid, kept.pos_seq`;
}
