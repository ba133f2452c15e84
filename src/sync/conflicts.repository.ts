import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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

const COLUMNS = `id::text AS id, item_id::text AS "itemId", peer, detected_at AS "detectedAt", status, winner, loser`;

/** Owns the SQL of `conflicts`: the sync records them, admin lists, resolves and dismisses them. */
@Injectable()
export class ConflictsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Idempotent: a record already kept for the same item, winner and loser is left as it is. */
  async record(tx: EntityManager, records: ConflictRecord[]): Promise<void> {
    if (records.length === 0) return;
    await tx.query(
      `INSERT INTO conflicts (item_id, peer, winner, loser)
       SELECT c.item_id, c.peer, c.winner, c.loser
       FROM jsonb_to_recordset($1::jsonb) AS c(item_id uuid, peer text, winner jsonb, loser jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(records.map((r) => ({ item_id: r.itemId, peer: r.peer, winner: r.winner, loser: r.loser })))],
    );
  }

  /** Newest first (by id, which only grows), after the record `beforeId` when given. */
  page(filter: ConflictFilter, beforeId: string | undefined, limit: number): Promise<StoredConflict[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM conflicts
       WHERE status = $1 AND ($2::uuid IS NULL OR item_id = $2::uuid) AND ($3::text IS NULL OR peer = $3)
         AND ($4::bigint IS NULL OR id < $4::bigint)
       ORDER BY id DESC LIMIT $5`,
      [filter.status, filter.itemId ?? null, filter.peer ?? null, beforeId ?? null, limit],
    );
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
    const rows: unknown[] = await tx.query(`UPDATE conflicts SET status = $2 WHERE id = $1::bigint AND status = 'open' RETURNING id`, [
      id,
      status,
    ]);
    return rows.length > 0;
  }

  async countOpen(): Promise<number> {
    const [row]: { count: string }[] = await this.dataSource.query(`SELECT count(*) AS count FROM conflicts WHERE status = 'open'`);
    return Number(row.count);
  }
}
