import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log of each source, in position order: what lets a push phase leave
 * out a peer's echoes without reading them. An echo-filtered log read takes
 * a range of this index per source (this node's own writes, each other peer,
 * the peer itself only below its echo floor) instead of walking every
 * position and filtering, which after a large pull from a peer meant reading
 * all it sent to find the few rows to offer back.
 * It replaces none of the others: `items_log_position` serves unfiltered
 * reads and keeps positions unique, `items_recorded_at` the `earliest` filter.
 */
export class ItemsBySource1796200000000 implements MigrationInterface {
  name = 'ItemsBySource1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS items_by_source ON items (source, pos_xid, pos_seq)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS items_by_source`);
  }
}
