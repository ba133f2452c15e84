import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conflict records an operator can act on: each gets a status, and one
 * record per (item, winner, loser) so a round that records its losers again
 * (redone after a failure) adds nothing. The fingerprints are generated from
 * the stored versions, so every insert keys the same way.
 */
export class ConflictWorkflow1764600000001 implements MigrationInterface {
  name = 'ConflictWorkflow1764600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE conflicts
        ADD COLUMN status text NOT NULL DEFAULT 'open'
          CONSTRAINT conflicts_status_known CHECK (status IN ('open', 'resolved', 'dismissed')),
        ADD COLUMN winner_fingerprint text COLLATE "C" GENERATED ALWAYS AS (winner ->> 'fingerprint') STORED,
        ADD COLUMN loser_fingerprint text COLLATE "C" GENERATED ALWAYS AS (loser ->> 'fingerprint') STORED`);
    // Records made twice before this migration are the same record: keep the first.
    await queryRunner.query(`
      DELETE FROM conflicts later USING conflicts first
      WHERE later.item_id = first.item_id AND later.winner_fingerprint = first.winner_fingerprint
        AND later.loser_fingerprint = first.loser_fingerprint AND later.id > first.id`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX conflicts_one_per_pair ON conflicts (item_id, winner_fingerprint, loser_fingerprint)`,
    );
    await queryRunner.query(`CREATE INDEX conflicts_by_status ON conflicts (status, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX conflicts_by_status`);
    await queryRunner.query(`DROP INDEX conflicts_one_per_pair`);
    await queryRunner.query(
      `ALTER TABLE conflicts DROP COLUMN loser_fingerprint, DROP COLUMN winner_fingerprint, DROP COLUMN status`,
    );
  }
}
