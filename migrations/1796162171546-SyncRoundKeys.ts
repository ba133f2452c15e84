import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a sync round needs from the schema to keep every loser and to do no
 * O(collection) work:
 * - one conflict record per (item, winner, loser), so records can be
 *   committed before a push and made again by a redone round without
 *   doubling (the same columns and index as the conflict workflow's
 *   migration: each adds only what the other has not);
 * - an echo floor per peer: a reset exempts what came from the peer before
 *   it from the echo filter, instead of rewriting every such row;
 * - no partial copy of the primary key (`items_live`): live listing walks
 *   the primary key itself.
 */
export class SyncRoundKeys1796162171546 implements MigrationInterface {
  name = 'SyncRoundKeys1796162171546';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE conflicts
        ADD COLUMN IF NOT EXISTS winner_fingerprint text COLLATE "C" GENERATED ALWAYS AS (winner ->> 'fingerprint') STORED,
        ADD COLUMN IF NOT EXISTS loser_fingerprint text COLLATE "C" GENERATED ALWAYS AS (loser ->> 'fingerprint') STORED`);
    // Records made twice before this migration are the same record: keep the first.
    await queryRunner.query(`
      DELETE FROM conflicts later USING conflicts first
      WHERE later.item_id = first.item_id AND later.winner_fingerprint = first.winner_fingerprint
        AND later.loser_fingerprint = first.loser_fingerprint AND later.id > first.id`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS conflicts_one_per_pair ON conflicts (item_id, winner_fingerprint, loser_fingerprint)`,
    );
    await queryRunner.query(`
      ALTER TABLE peer_checkpoints
        ADD COLUMN IF NOT EXISTS echo_floor_xid bigint,
        ADD COLUMN IF NOT EXISTS echo_floor_seq bigint`);
    await queryRunner.query(`DROP INDEX IF EXISTS items_live`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS items_live ON items (id) WHERE NOT deleted`);
    await queryRunner.query(
      `ALTER TABLE peer_checkpoints DROP COLUMN IF EXISTS echo_floor_seq, DROP COLUMN IF EXISTS echo_floor_xid`,
    );
    // The conflict columns and index stay: the conflict workflow's migration may own them.
  }
}
