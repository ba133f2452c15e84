import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ItemView } from '../items/item.view';
import { sizedPage } from '../items/sized-page';
import { ConflictEntity } from './conflict.entity';

/** The most winner and loser data one conflicts answer carries (always at least one record). */
export const MAX_CONFLICTS_ANSWER_BYTES = 8 * 1024 * 1024;

interface ConflictRow {
  id: string;
  item_id: string;
  peer: string;
  detected_at: Date;
  winner: ItemView;
  loser: ItemView;
  found: string;
}

@Injectable()
export class ConflictsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Newest first, optionally for one item, older than the record `beforeId`:
   * at most `limit` records and `maxBytes` of their versions, summed in SQL so
   * a larger answer never reaches this process. `more` says records were left.
   */
  async newest(
    itemId: string | undefined,
    limit: number,
    options: { beforeId?: string; maxBytes?: number } = {},
  ): Promise<{ records: ConflictEntity[]; more: boolean }> {
    const rows: ConflictRow[] = await this.dataSource.query(
      `WITH page AS (
         SELECT id, octet_length(winner::text) + octet_length(loser::text) AS bytes FROM conflicts
         WHERE ($1::uuid IS NULL OR item_id = $1::uuid) AND ($2::bigint IS NULL OR id < $2::bigint)
         ORDER BY id DESC LIMIT $3),
       ${sizedPage('id DESC')}
       SELECT c.id, c.item_id, c.peer, c.detected_at, c.winner, c.loser, sized.found
       FROM sized JOIN conflicts c ON c.id = sized.id
       WHERE sized.rn = 1 OR sized.running <= $4 ORDER BY c.id DESC LIMIT $3 - 1`,
      [itemId ?? null, options.beforeId ?? null, limit + 1, options.maxBytes ?? MAX_CONFLICTS_ANSWER_BYTES],
    );
    const records = rows.map((row) =>
      Object.assign(new ConflictEntity(), {
        id: String(row.id),
        itemId: row.item_id,
        peer: row.peer,
        detectedAt: row.detected_at,
        winner: row.winner,
        loser: row.loser,
      }),
    );
    return { records, more: rows.length > 0 && Number(rows[0].found) > rows.length };
  }
}
