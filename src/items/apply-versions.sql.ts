import type { Version } from '../core/version';

/** The winner key of API.md as a SQL row value; `$3` is the conflict window. */
function keyOf(table: string): string {
  const bucket = `CASE WHEN $3::bigint > 0 THEN ${table}.updated_ms / $3::bigint ELSE ${table}.updated_ms END`;
  return `(${bucket}, ${table}.priority, ${table}.updated_ms, ${table}.origin, ${table}.fingerprint)`;
}

/** Each incoming version's outcome, from what `written` returned and the row as it was before. */
const OUTCOMES = `
  SELECT i.id::text AS id,
         CASE WHEN w.id IS NOT NULL THEN 'applied'
              WHEN c.fingerprint = i.fingerprint AND c.updated_ms = i.updated_ms
                   AND c.origin = i.origin AND c.priority = i.priority THEN 'unchanged'
              ELSE 'superseded' END AS outcome
  FROM incoming i
  LEFT JOIN written w ON w.id = i.id
  LEFT JOIN items c ON c.id = i.id`;

const INCOMING = `
  WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(
      id uuid, data jsonb, deleted boolean, updated_ms bigint, origin text,
      priority integer, fingerprint text, replaces text)
  )`;

/**
 * Every write path (client writes, pushed batches, pulled batches) ends here:
 * one statement that inserts each version or replaces the stored one only
 * where the incoming key is greater, giving each stored row a new log
 * position. Rows are taken in id order so concurrent batches lock alike.
 * `$4` false only inserts: an existing row is never replaced (it appeared
 * after the caller looked, and is decided again).
 */
export const APPLY_SQL = `${INCOMING},
  written AS (
    INSERT INTO items AS cur (id, data, deleted, updated_ms, origin, priority, fingerprint, replaces,
                              source, pos_xid, pos_seq, recorded_at)
    SELECT id, data, deleted, updated_ms, origin, priority, fingerprint, replaces,
           $2, pg_current_xact_id()::text::bigint, nextval('items_pos_seq'), now()
    FROM incoming ORDER BY id
    ON CONFLICT (id) DO UPDATE SET
      data = EXCLUDED.data, deleted = EXCLUDED.deleted, updated_ms = EXCLUDED.updated_ms,
      origin = EXCLUDED.origin, priority = EXCLUDED.priority, fingerprint = EXCLUDED.fingerprint,
      replaces = EXCLUDED.replaces, source = EXCLUDED.source, pos_xid = EXCLUDED.pos_xid,
      pos_seq = EXCLUDED.pos_seq, recorded_at = EXCLUDED.recorded_at
    WHERE $4 AND ${keyOf('EXCLUDED')} > ${keyOf('cur')}
    RETURNING id
  )
  ${OUTCOMES.trim()}`;

/**
 * The write statement for rows the caller holds locked, so every one exists:
 * a plain UPDATE of those the incoming key beats, with no speculative insert
 * per row. Their locks were taken in id order already.
 */
export const REPLACE_SQL = `${INCOMING},
  written AS (
    UPDATE items AS cur SET
      data = i.data, deleted = i.deleted, updated_ms = i.updated_ms, origin = i.origin, priority = i.priority,
      fingerprint = i.fingerprint, replaces = i.replaces, source = $2, pos_xid = pg_current_xact_id()::text::bigint,
      pos_seq = nextval('items_pos_seq'), recorded_at = now()
    FROM incoming i
    WHERE cur.id = i.id AND ${keyOf('i')} > ${keyOf('cur')}
    RETURNING cur.id
  )
  ${OUTCOMES.trim()}`;

/** One version as the apply statement reads it: its body serialised once, or passed on as it was received. */
export function applyRecord(v: Version): string {
  const head = JSON.stringify({
    id: v.id,
    deleted: v.deleted,
    updated_ms: v.updatedAtMs,
    origin: v.origin,
    priority: v.priority,
    fingerprint: v.fingerprint,
    replaces: v.replaces,
  });
  return `${head.slice(0, -1)},"data":${v.dataText ?? JSON.stringify(v.data)}}`;
}
