import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MAX_ANSWER_DATA_BYTES, MAX_RECORD_WRITE_BYTES } from '../core/limits';
import { sizedPage } from '../db/sized-page';
import { AppConfig } from '../config/env';
import type { ItemView } from '../items/item.view';

export const CONFLICT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/** A version that lost to a concurrent one, kept so nothing a user wrote is silently gone. */
export interface ConflictRecord {
  itemId: string;
  peer: string;
  winner: ItemView;
  loser: ItemView;
}

export interface StoredConflict extends ConflictRecord {
  /** A positive bigint, as text; grows with each record. */
  id: string;
  detectedAt: Date;
  status: ConflictStatus;
}

export interface ConflictFilter {
  itemId?: string;
  peer?: string;
  status: ConflictStatus;
}

/** A concurrent edit to keep: the peer's version as received, and whether the version stored here won. */
export interface ConcurrentEdit {
  itemId: string;
  localWins: boolean;
  remote: ItemView;
}

/** The stored row `i` in the item shape of API.md; `$3` is this node's public URL. */
const STORED_VIEW = `jsonb_build_object(
  'id', i.id, 'data', i.data, 'deleted', i.deleted,
  'updatedAt', to_char((to_timestamp(i.updated_ms / 1000) + (i.updated_ms % 1000) * interval '1 millisecond') AT TIME ZONE 'UTC',
                       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'origin', i.origin, 'priority', i.priority, 'fingerprint', i.fingerprint, 'uri', $3 || '/items/' || i.id::text)`;

const RECORD_SQL = `
  INSERT INTO conflicts (item_id, peer, winner, loser)
  SELECT c.item_id, $2,
         CASE WHEN c.local_wins THEN ${STORED_VIEW} ELSE c.remote END,
         CASE WHEN c.local_wins THEN c.remote ELSE ${STORED_VIEW} END
  FROM jsonb_to_recordset($1::jsonb) AS c(item_id uuid, local_wins boolean, remote jsonb)
  JOIN items i ON i.id = c.item_id
  ORDER BY c.item_id
  ON CONFLICT (item_id, winner_fingerprint, loser_fingerprint) DO NOTHING
  RETURNING id`;

const COLUMNS = `id::text AS id, item_id::text AS "itemId", peer, detected_at AS "detectedAt", status, winner, loser`;

/** Owns the SQL of `conflicts`: the sync records them, admin lists, resolves and dismisses them. */
@Injectable()
export class ConflictsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Keeps the loser of each concurrent edit with `peer`, both sides in full.
   * This node's side is copied from its stored row inside SQL, so call it
   * before that row is overwritten (in the same transaction or an earlier
   * one). Idempotent: a record already kept for the same item, winner and
   * loser is left as it is. One statement per MAX_RECORD_WRITE_BYTES of the
   * peer's versions. Returns how many records are new.
   */
  async record(tx: EntityManager, peer: string, edits: ConcurrentEdit[]): Promise<number> {
    let made = 0;
    let rows: string[] = [];
    let bytes = 0;
    for (const [i, e] of edits.entries()) {
      const row = JSON.stringify({ item_id: e.itemId, local_wins: e.localWins, remote: e.remote });
      rows.push(row);
      bytes += row.length;
      if (bytes < MAX_RECORD_WRITE_BYTES && i < edits.length - 1) continue;
      const inserted: unknown[] = await tx.query(RECORD_SQL, [`[${rows.join(',')}]`, peer, this.config.publicUrl]);
      made += inserted.length;
      [rows, bytes] = [[], 0];
    }
    return made;
  }

  /**
   * Newest first (by id, which only grows), older than `beforeId` when given:
   * at most `limit` records and MAX_ANSWER_DATA_BYTES of their versions (at
   * least one), bounded inside SQL. `more` says records were left.
   */
  async page(
    filter: ConflictFilter,
    beforeId: string | undefined,
    limit: number,
  ): Promise<{ records: StoredConflict[]; more: boolean }> {
    const rows: (StoredConflict & { found: string })[] = await this.dataSource.query(
      `WITH page AS (
         SELECT ${COLUMNS}, octet_length(winner::text) + octet_length(loser::text) AS bytes FROM conflicts
         WHERE status = $1 AND ($2::uuid IS NULL OR item_id = $2::uuid) AND ($3::text IS NULL OR peer = $3)
           AND ($4::bigint IS NULL OR id < $4::bigint)
         ORDER BY conflicts.id DESC LIMIT $5),
       ${sizedPage('id::bigint DESC')}
       SELECT id, "itemId", peer, "detectedAt", status, winner, loser, found FROM sized
       WHERE rn = 1 OR running <= $6 ORDER BY id::bigint DESC LIMIT $5 - 1`,
      [filter.status, filter.itemId ?? null, filter.peer ?? null, beforeId ?? null, limit + 1, MAX_ANSWER_DATA_BYTES],
    );
    const found = rows.length > 0 ? Number(rows[0].found) : 0;
    return { records: rows.map(({ found: _found, ...record }) => record), more: found > rows.length };
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async find(id: string): Promise<StoredConflict | undefined> {
    const [row]: StoredConflict[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM conflicts WHERE id = $1::bigint`, [id]);
    return row;
  }

  /** The record, locked until the transaction ends. */
  async lock(tx: EntityManager, id: string): Promise<StoredConflict | undefined> {
    const [row]: StoredConflict[] = await tx.query(`SELECT ${COLUMNS} FROM conflicts WHERE id = $1::bigint FOR UPDATE`, [id]);
    return row;
  }

  /** Closes an open record; false when it was not open (or is gone). */
  async close(tx: EntityManager, id: string, status: Exclude<ConflictStatus, 'open'>): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `UPDATE conflicts SET status = $2 WHERE id = $1::bigint AND status = 'open' RETURNING id`,
      [id, status],
    );
    return rows.length > 0;
  }

  async countOpen(): Promise<number> {
    const [row]: { count: string }[] = await this.dataSource.query(
      `SELECT count(*) AS count FROM conflicts WHERE status = 'open'`,
    );
    return Number(row.count);
  }
}
