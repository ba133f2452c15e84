import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, sizedPage } from './sized-page';
import { ApplyOutcome, Version } from './version';

/** The columns of a stored version, as SQL returns them. */
export interface VersionRow {
  id: string;
  data: Record<string, unknown> | null;
  deleted: boolean;
  updated_ms: string;
  origin: string;
  priority: number;
  fingerprint: string;
  replaces: string | null;
}

export const VERSION_COLUMNS = 'id, data, deleted, updated_ms, origin, priority, fingerprint, replaces';
/** The same columns with `data` left out (null), for reads that compare keys only. */
export const KEY_COLUMNS = VERSION_COLUMNS.replace('data', 'NULL::jsonb AS data');

export function versionFromRow(row: VersionRow): Version {
  return {
    id: row.id,
    data: row.data,
    deleted: row.deleted,
    updatedAtMs: Number(row.updated_ms),
    origin: row.origin,
    priority: row.priority,
    fingerprint: row.fingerprint,
    replaces: row.replaces,
  };
}

/** The winner key of API.md as a SQL row value; `$3` is the conflict window. */
function keyOf(table: string): string {
  const bucket = `CASE WHEN $3::bigint > 0 THEN ${table}.updated_ms / $3::bigint ELSE ${table}.updated_ms END`;
  return `(${bucket}, ${table}.priority, ${table}.updated_ms, ${table}.origin, ${table}.fingerprint)`;
}

/**
 * Every write path (client writes, pushed batches, pulled batches) ends here:
 * one statement that inserts each version or replaces the stored one only
 * where the incoming key is greater, giving each stored row a new log
 * position. Rows are taken in id order so concurrent batches lock alike.
 */
const APPLY_SQL = `
  WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(
      id uuid, data jsonb, deleted boolean, updated_ms bigint, origin text,
      priority integer, fingerprint text, replaces text)
  ),
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
    WHERE ${keyOf('EXCLUDED')} > ${keyOf('cur')}
    RETURNING id
  )
  SELECT i.id::text AS id,
         CASE WHEN w.id IS NOT NULL THEN 'applied'
              WHEN c.fingerprint = i.fingerprint AND c.updated_ms = i.updated_ms
                   AND c.origin = i.origin AND c.priority = i.priority THEN 'unchanged'
              ELSE 'superseded' END AS outcome
  FROM incoming i
  LEFT JOIN written w ON w.id = i.id
  LEFT JOIN items c ON c.id = i.id`;

/** Owns the SQL of the items table: simple reads and the one write statement. */
@Injectable()
export class ItemsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Stores each version that beats the stored one (ids must be distinct).
   * `source` is the peer the versions came from, null for this node's writes.
   */
  async applyVersions(
    tx: EntityManager,
    versions: Version[],
    source: string | null,
    windowMs: number,
  ): Promise<Map<string, ApplyOutcome>> {
    if (versions.length === 0) return new Map();
    const payload = versions.map((v) => ({
      id: v.id,
      data: v.data,
      deleted: v.deleted,
      updated_ms: v.updatedAtMs,
      origin: v.origin,
      priority: v.priority,
      fingerprint: v.fingerprint,
      replaces: v.replaces,
    }));
    const rows: { id: string; outcome: ApplyOutcome }[] = await tx.query(APPLY_SQL, [
      JSON.stringify(payload),
      source,
      windowMs,
    ]);
    return new Map(rows.map((row) => [row.id, row.outcome]));
  }

  /** The stored version of `id`, locked until the transaction ends. */
  async lockVersion(tx: EntityManager, id: string): Promise<Version | undefined> {
    const rows: VersionRow[] = await tx.query(`SELECT ${VERSION_COLUMNS} FROM items WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] && versionFromRow(rows[0]);
  }

  /** The stored versions of `ids`, locked until the transaction ends (in id order, as every writer locks). */
  async lockVersions(tx: EntityManager, ids: string[]): Promise<Version[]> {
    if (ids.length === 0) return [];
    const rows: VersionRow[] = await tx.query(
      `SELECT ${VERSION_COLUMNS} FROM items WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return rows.map(versionFromRow);
  }

  async findVersion(id: string): Promise<Version | undefined> {
    return (await this.findVersions([id]))[0];
  }

  /**
   * The stored versions of `ids` (tombstones included), in id order; unknown
   * ids left out. Without data, every `data` is null.
   */
  async findVersions(ids: string[], { withData = true } = {}): Promise<Version[]> {
    if (ids.length === 0) return [];
    const columns = withData ? VERSION_COLUMNS : KEY_COLUMNS;
    const rows: VersionRow[] = await this.dataSource.query(
      `SELECT ${columns} FROM items WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    return rows.map(versionFromRow);
  }

  /**
   * Live items with id greater than `afterId`, in id order: at most `limit`,
   * and no more data than `maxBytes` (at least one item). `more` says whether
   * items were left for the next page.
   */
  async listLive(afterId: string | undefined, limit: number, maxBytes: number): Promise<{ versions: Version[]; more: boolean }> {
    const rows: (VersionRow & { found: string })[] = await this.dataSource.query(
      `WITH page AS (
         SELECT id, octet_length(data::text) AS bytes FROM items
         WHERE NOT deleted AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2),
       ${sizedPage('id')}
       SELECT ${columnsOf('i', VERSION_COLUMNS)}, sized.found FROM sized JOIN items i ON i.id = sized.id
       WHERE sized.rn = 1 OR sized.running <= $3 ORDER BY i.id LIMIT $2 - 1`,
      [afterId ?? null, limit + 1, maxBytes],
    );
    const found = rows.length > 0 ? Number(rows[0].found) : 0;
    return { versions: rows.map(versionFromRow), more: found > rows.length };
  }

  /**
   * The stored versions of `ids` with their data (tombstones included), in id
   * order, up to `maxBytes` of data (at least one); `missing` lists the ids
   * found but left out by the bound, for another call. Unknown ids are in neither.
   */
  async findVersionsWithin(ids: string[], maxBytes: number): Promise<{ versions: Version[]; missing: string[] }> {
    if (ids.length === 0) return { versions: [], missing: [] };
    const rows: (VersionRow & { fits: boolean })[] = await this.dataSource.query(
      `WITH page AS (SELECT id, coalesce(octet_length(data::text), 0) AS bytes FROM items WHERE id = ANY($1::uuid[])),
       ${sizedPage('id')}
       SELECT ${columnsOf('i', VERSION_COLUMNS).replace('i.data', 'CASE WHEN fits THEN i.data END AS data')}, fits
       FROM (SELECT id, rn = 1 OR running <= $2 AS fits FROM sized) s JOIN items i ON i.id = s.id ORDER BY i.id`,
      [ids, maxBytes],
    );
    return {
      versions: rows.filter((row) => row.fits).map(versionFromRow),
      missing: rows.filter((row) => !row.fits).map((row) => row.id),
    };
  }
}
