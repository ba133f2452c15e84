import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LogEvents } from '../common/log-events';
import type { LogPosition } from '../core/log-position';
import { ApplyOutcome, Version } from '../core/version';
import { DatabaseHost } from '../db/database.module';
import { sizedPage } from '../db/sized-page';
import { APPLY_SQL, REPLACE_SQL, applyRecord } from './apply-versions.sql';
import { copyNewVersions } from './copy-versions';
import {
  EchoFilter,
  KEY_COLUMNS,
  LocalSide,
  NOT_ECHO,
  StoredText,
  VERSION_COLUMNS,
  VersionRow,
  versionFromRow,
} from './version-row';

export type { EchoFilter, LocalSide, StoredText };
export { NOT_ECHO };

/**
 * Owns every statement on the items table but the log reads (LogRepository):
 * the one write statement, the reads by id, and the sync's bookkeeping.
 */
@Injectable()
export class ItemsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: LogEvents,
    private readonly database: DatabaseHost,
  ) {}

  /** Runs `work` in one transaction; once it commits, LogEvents tells where any change it made to the log came from. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.events.afterCommit((watch) => this.dataSource.transaction((tx) => work(watch(tx))));
  }

  /**
   * Stores each version that beats the stored one (ids must be distinct).
   * `source` is the peer the versions came from, null for this node's writes.
   * With `overwrite: false` a version is only inserted where no row exists:
   * on PostgreSQL the rows go in by one COPY when none exists yet (the
   * embedded database takes the statement).
   */
  async applyVersions(
    tx: EntityManager,
    versions: Version[],
    source: string | null,
    windowMs: number,
    { overwrite = true } = {},
  ): Promise<Map<string, ApplyOutcome>> {
    if (versions.length === 0) return new Map();
    if (!overwrite && !this.database.isEmbedded && (await copyNewVersions(tx, versions, source))) {
      this.events.noteChange(tx, source);
      return new Map(versions.map((v) => [v.id, 'applied']));
    }
    return this.write(tx, APPLY_SQL, versions, source, [windowMs, overwrite]);
  }

  /**
   * Like `applyVersions` for rows this transaction holds locked (and so
   * stored): each is replaced where the version beats it, by an UPDATE. An
   * id without a row is left out, as 'superseded'.
   */
  async replaceVersions(tx: EntityManager, versions: Version[], source: string | null, windowMs: number) {
    return this.write(tx, REPLACE_SQL, versions, source, [windowMs]);
  }

  /** Runs one write statement over `versions`; `$1` is their records, `$2` the source, then `params`. */
  private async write(
    tx: EntityManager,
    sql: string,
    versions: Version[],
    source: string | null,
    params: unknown[],
  ): Promise<Map<string, ApplyOutcome>> {
    if (versions.length === 0) return new Map();
    const payload = `[${versions.map(applyRecord).join(',')}]`;
    const rows: { id: string; outcome: ApplyOutcome }[] = await tx.query(sql, [payload, source, ...params]);
    if (rows.some((row) => row.outcome === 'applied')) this.events.noteChange(tx, source);
    return new Map(rows.map((row) => [row.id, row.outcome]));
  }

  /** The stored version of `id`, locked until the transaction ends. */
  async lockVersion(tx: EntityManager, id: string): Promise<Version | undefined> {
    const rows: VersionRow[] = await tx.query(`SELECT ${VERSION_COLUMNS} FROM items WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] && versionFromRow(rows[0]);
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

  /** How many live items this node holds (the status page's count; an index-only scan). */
  async countLive(): Promise<number> {
    const [row]: { count: string }[] = await this.dataSource.query(`SELECT count(*) AS count FROM items WHERE NOT deleted`);
    return Number(row.count);
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

  /**
   * Live items with id greater than `afterId`, in id order: at most `limit`,
   * and no more data than `maxBytes` (at least one item), bounded inside SQL.
   * `more` says whether items were left for the next page.
   */
  async listLive(afterId: string | undefined, limit: number, maxBytes: number): Promise<{ versions: Version[]; more: boolean }> {
    const rows: (VersionRow & { found: string })[] = await this.dataSource.query(
      `WITH page AS (
         SELECT ${VERSION_COLUMNS}, octet_length(data::text) AS bytes FROM items
         WHERE NOT deleted AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2),
       ${sizedPage('id')}
       SELECT * FROM sized WHERE rn = 1 OR running <= $3 ORDER BY id LIMIT $2 - 1`,
      [afterId ?? null, limit + 1, maxBytes],
    );
    const found = rows.length > 0 ? Number(rows[0].found) : 0;
    return { versions: rows.map(versionFromRow), more: found > rows.length };
  }

  /**
   * The stored versions of `ids` (tombstones included), in id order, each
   * with its data as the database's JSON text, up to `maxBytes` of it (at
   * least one), bounded inside SQL; `missing` lists the ids found but left
   * out by the bound, for another call. Unknown ids are in neither.
   */
  async findTextsWithin(ids: string[], maxBytes: number): Promise<{ found: StoredText[]; missing: string[] }> {
    if (ids.length === 0) return { found: [], missing: [] };
    const rows: (VersionRow & { data_text: string | null; fits: boolean })[] = await this.dataSource.query(
      // OFFSET 0 keeps the subquery whole: merged into its caller, each body would be written out as text twice.
      `WITH page AS (SELECT *, coalesce(octet_length(data_text), 0) AS bytes FROM (
                       SELECT ${KEY_COLUMNS}, data::text AS data_text FROM items
                       WHERE id = ANY($1::uuid[]) ORDER BY id OFFSET 0) AS texts),
       ${sizedPage('id')},
       judged AS (SELECT *, rn = 1 OR running <= $2 AS fits FROM sized)
       SELECT id, data, CASE WHEN fits THEN data_text END AS data_text, deleted, updated_ms, origin, priority, fingerprint,
              replaces, fits
       FROM judged ORDER BY id`,
      [ids, maxBytes],
    );
    return {
      found: rows.filter((row) => row.fits).map((row) => ({ version: versionFromRow(row), dataText: row.data_text })),
      missing: rows.filter((row) => !row.fits).map((row) => row.id),
    };
  }

  /**
   * The stored rows of `ids`, locked until the transaction ends (in id order,
   * like every write), each with whether it changed after `basis`.
   */
  async lockChangedAfter(tx: EntityManager, ids: string[], basis: LogPosition): Promise<Map<string, boolean>> {
    const rows: { id: string; changed: boolean }[] = await tx.query(
      `SELECT id::text AS id, (pos_xid, pos_seq) > ($2::bigint, $3::bigint) AS changed
       FROM items WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids, basis.xid, basis.seq],
    );
    return new Map(rows.map((row) => [row.id, row.changed]));
  }

  /**
   * This node's versions of `ids`, keys and history only. An item counts as
   * changed since the last sync with `peer` when it sits after `since` (the
   * local cursor) and is not an echo of that peer (see NOT_ECHO). With `tx`,
   * the rows are locked until it ends, in id order like every write.
   */
  async localSides(ids: string[], since: LogPosition, echo: EchoFilter, tx?: EntityManager): Promise<Map<string, LocalSide>> {
    if (ids.length === 0) return new Map();
    const rows: (VersionRow & { changed: boolean })[] = await (tx ?? this.dataSource).query(
      `SELECT ${KEY_COLUMNS}, ((pos_xid, pos_seq) > ($2::bigint, $3::bigint) AND ${NOT_ECHO}) AS changed
       FROM items WHERE id = ANY($1::uuid[]) ORDER BY id ${tx ? 'FOR UPDATE' : ''}`,
      [ids, since.xid, since.seq, echo.peer, echo.floor],
    );
    return new Map(
      rows.map((row) => {
        const { data: _none, ...key } = versionFromRow(row);
        return [row.id, { ...key, changedSinceSync: row.changed }];
      }),
    );
  }

  /** Whether stored log positions are ahead of this database's transaction counter: it was restored from a dump. */
  async positionsAhead(tx: EntityManager): Promise<boolean> {
    const [row] = await tx.query(
      `SELECT max(pos_xid) >= pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS ahead FROM items`,
    );
    return row?.ahead === true;
  }

  /** Gives every item a new log position in this transaction, keeping their order among themselves. */
  async renumberLog(tx: EntityManager): Promise<void> {
    await tx.query(`UPDATE items SET pos_xid = pg_current_xact_id()::text::bigint, pos_seq = nextval('items_pos_seq')`);
  }
}
