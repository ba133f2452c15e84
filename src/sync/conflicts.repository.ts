import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ItemView } from '../items/item.view';

/** A version that lost to a concurrent one, kept so nothing a user wrote is silently gone. */
export interface ConflictRecord {
  itemId: string;
  peer: string;
  winner: ItemView;
  loser: ItemView;
}

export interface StoredConflict extends ConflictRecord {
  detectedAt: Date;
}

/** Owns the SQL of `conflicts`: the sync records them, admin lists them. */
@Injectable()
export class ConflictsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(tx: EntityManager, records: ConflictRecord[]): Promise<void> {
    if (records.length === 0) return;
    await tx.query(
      `INSERT INTO conflicts (item_id, peer, winner, loser)
       SELECT c.item_id, c.peer, c.winner, c.loser
       FROM jsonb_to_recordset($1::jsonb) AS c(item_id uuid, peer text, winner jsonb, loser jsonb)`,
      [JSON.stringify(records.map((r) => ({ item_id: r.itemId, peer: r.peer, winner: r.winner, loser: r.loser })))],
    );
  }

  /** Newest first, optionally for one item. */
  newest(itemId: string | undefined, limit: number): Promise<StoredConflict[]> {
    return this.dataSource.query(
      `SELECT item_id::text AS "itemId", peer, detected_at AS "detectedAt", winner, loser FROM conflicts
       WHERE ($1::uuid IS NULL OR item_id = $1::uuid) ORDER BY id DESC LIMIT $2`,
      [itemId ?? null, limit],
    );
  }
}
