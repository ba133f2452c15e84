import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/env';
import type { ItemView } from '../items/item.view';

/** A version that lost to a concurrent one, kept so nothing a user wrote is silently gone. */
export interface StoredConflict {
  itemId: string;
  peer: string;
  winner: ItemView;
  loser: ItemView;
  detectedAt: Date;
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

/** Owns the SQL of `conflicts`: the sync records them, admin lists them. */
@Injectable()
export class ConflictsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Keeps the loser of each concurrent edit with `peer`, both sides in full.
   * This node's side is copied from its stored row inside SQL, so call it
   * before that row is overwritten, in the same transaction or an earlier
   * one. One record per item, winner and loser: recording again (a redone
   * round) adds nothing. Returns how many records are new.
   */
  async record(tx: EntityManager, peer: string, edits: ConcurrentEdit[]): Promise<number> {
    if (edits.length === 0) return 0;
    const rows: unknown[] = await tx.query(
      `INSERT INTO conflicts (item_id, peer, winner, loser)
       SELECT c.item_id, $2,
              CASE WHEN c.local_wins THEN ${STORED_VIEW} ELSE c.remote END,
              CASE WHEN c.local_wins THEN c.remote ELSE ${STORED_VIEW} END
       FROM jsonb_to_recordset($1::jsonb) AS c(item_id uuid, local_wins boolean, remote jsonb)
       JOIN items i ON i.id = c.item_id
       ORDER BY c.item_id
       ON CONFLICT (item_id, winner_fingerprint, loser_fingerprint) DO NOTHING
       RETURNING id`,
      [
        JSON.stringify(edits.map((e) => ({ item_id: e.itemId, local_wins: e.localWins, remote: e.remote }))),
        peer,
        this.config.publicUrl,
      ],
    );
    return rows.length;
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
