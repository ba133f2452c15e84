import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ItemView } from '../items/item.view';
import { KEY_COLUMNS, VersionRow, versionFromRow } from '../items/items.repository';
import { LOG_START, LogPosition } from '../transactions/log-cursor';
import { SideVersion } from './merge-plan';

export interface Checkpoint {
  remoteCursor: string | null;
  localCursor: string | null;
}

export interface ConflictRecord {
  itemId: string;
  peer: string;
  winner: ItemView;
  loser: ItemView;
}

/** The most conflict-record data one insert statement carries. */
const RECORD_WRITE_BYTES = 8 * 1024 * 1024;

/** Owns the SQL of syncing: per-peer checkpoints, conflict records and the plan's view of local items. */
@Injectable()
export class SyncRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async checkpoint(peer: string): Promise<Checkpoint> {
    const rows: Checkpoint[] = await this.dataSource.query(
      `SELECT remote_cursor AS "remoteCursor", local_cursor AS "localCursor" FROM peer_checkpoints WHERE peer = $1`,
      [peer],
    );
    return rows[0] ?? { remoteCursor: null, localCursor: null };
  }

  /** Moves one cursor; called in the transaction that applied what it covers. */
  async advance(tx: EntityManager, peer: string, which: 'remote' | 'local', cursor: string): Promise<void> {
    const column = which === 'remote' ? 'remote_cursor' : 'local_cursor';
    await tx.query(
      `INSERT INTO peer_checkpoints (peer, ${column}) VALUES ($1, $2)
       ON CONFLICT (peer) DO UPDATE SET ${column} = EXCLUDED.${column}, updated_at = now()`,
      [peer, cursor],
    );
  }

  /**
   * Starts over with a peer whose database was reset or restored: forgets
   * both cursors, and that any item came from that peer, since it may no
   * longer hold what it once sent. Log positions do not move.
   */
  async reset(peer: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `UPDATE peer_checkpoints SET remote_cursor = NULL, local_cursor = NULL, updated_at = now() WHERE peer = $1`,
        [peer],
      );
      await tx.query(`UPDATE items SET source = NULL WHERE source = $1`, [peer]);
    });
  }

  /**
   * The last report for `GET /admin/peers`. It commits without waiting for
   * the disk: losing the latest report in a crash costs nothing, and waiting
   * would dominate a sync that had nothing to do.
   */
  async saveResult(peer: string, result: object, succeeded: boolean): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL synchronous_commit TO off`);
      await tx.query(
        `INSERT INTO peer_checkpoints (peer, last_result, last_success_at) VALUES ($1, $2, CASE WHEN $3 THEN now() END)
         ON CONFLICT (peer) DO UPDATE SET last_result = EXCLUDED.last_result, updated_at = now(),
           last_success_at = coalesce(EXCLUDED.last_success_at, peer_checkpoints.last_success_at)`,
        [peer, JSON.stringify(result), succeeded],
      );
    });
  }

  /**
   * This node's versions of `ids`, keys and history only. An item counts as
   * changed since the last sync with `peer` when it sits after the local
   * cursor and did not come from that peer.
   */
  async localSides(ids: string[], since: LogPosition | undefined, peer: string): Promise<Map<string, SideVersion>> {
    if (ids.length === 0) return new Map();
    const from = since ?? LOG_START;
    const rows: (VersionRow & { changed: boolean })[] = await this.dataSource.query(
      `SELECT ${KEY_COLUMNS},
              ((pos_xid, pos_seq) > ($2::bigint, $3::bigint) AND source IS DISTINCT FROM $4) AS changed
       FROM items WHERE id = ANY($1::uuid[])`,
      [ids, from.xid, from.seq, peer],
    );
    return new Map(
      rows.map((row) => {
        const { data: _none, ...key } = versionFromRow(row);
        return [row.id, { ...key, changedSinceSync: row.changed }];
      }),
    );
  }

  /** Serialised body size of each of `ids`, to cut pushes under the request size limit. */
  async bodySizes(ids: string[]): Promise<Map<string, number>> {
    const rows: { id: string; bytes: number }[] = await this.dataSource.query(
      `SELECT id::text AS id, coalesce(octet_length(data::text), 0) AS bytes FROM items WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.bytes]));
  }

  async recordConflicts(tx: EntityManager, records: ConflictRecord[]): Promise<void> {
    // One statement per RECORD_WRITE_BYTES of records, so no single parameter grows with the page.
    let rows: string[] = [];
    let bytes = 0;
    for (const [i, r] of records.entries()) {
      const row = JSON.stringify({ item_id: r.itemId, peer: r.peer, winner: r.winner, loser: r.loser });
      rows.push(row);
      bytes += row.length;
      if (bytes < RECORD_WRITE_BYTES && i < records.length - 1) continue;
      await tx.query(
        `INSERT INTO conflicts (item_id, peer, winner, loser)
         SELECT c.item_id, c.peer, c.winner, c.loser
         FROM jsonb_to_recordset($1::jsonb) AS c(item_id uuid, peer text, winner jsonb, loser jsonb)`,
        [`[${rows.join(',')}]`],
      );
      [rows, bytes] = [[], 0];
    }
  }
}
