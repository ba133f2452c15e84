import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signatures of node-to-node requests seen within their acceptance window,
 * shared by every process of the node and kept across restarts, so a replay
 * is refused whichever process it reaches. The primary key lets two processes
 * race on one signature safely: exactly one INSERT … ON CONFLICT DO NOTHING wins.
 */
export class SeenSignatures1764600000000 implements MigrationInterface {
  name = 'SeenSignatures1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE seen_signatures (
        signature  text COLLATE "C" PRIMARY KEY,
        expires_ms bigint NOT NULL,
        CONSTRAINT seen_signatures_hex CHECK (signature ~ '^[0-9a-f]{64}$')
      )`);
    await queryRunner.query(`CREATE INDEX seen_signatures_expiry ON seen_signatures (expires_ms)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE seen_signatures`);
  }
}
