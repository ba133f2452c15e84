import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The node's storage. `items` holds the current version of every item,
 * tombstones included, and its position in this node's log: the log is this
 * table read in position order, one entry per item by construction.
 *
 * A position is (id of the writing transaction, sequence number). The log is
 * served only below the oldest transaction still running, so a transaction
 * that took its position first and commits last is never skipped by a reader.
 */
export class InitSchema1763700000000 implements MigrationInterface {
  name = 'InitSchema1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE items_pos_seq AS bigint`);
    await queryRunner.query(`
      CREATE TABLE items (
        id          uuid PRIMARY KEY,
        data        jsonb,
        deleted     boolean NOT NULL,
        updated_ms  bigint NOT NULL,
        origin      text COLLATE "C" NOT NULL,
        priority    integer NOT NULL,
        fingerprint text COLLATE "C" NOT NULL,
        replaces    text COLLATE "C",
        source      text COLLATE "C",
        pos_xid     bigint NOT NULL,
        pos_seq     bigint NOT NULL DEFAULT nextval('items_pos_seq'),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT items_tombstone_has_no_data
          CHECK ((deleted AND data IS NULL) OR (NOT deleted AND jsonb_typeof(data) = 'object')),
        CONSTRAINT items_fingerprint_hex CHECK (fingerprint ~ '^[0-9a-f]{40}$'),
        CONSTRAINT items_replaces_hex CHECK (replaces ~ '^[0-9a-f]{40}$'),
        CONSTRAINT items_origin_node_id CHECK (origin ~ '^[a-z0-9_-]{1,32}$'),
        CONSTRAINT items_updated_in_range CHECK (updated_ms BETWEEN 0 AND 253402300799999)
      )`);
    await queryRunner.query(`ALTER SEQUENCE items_pos_seq OWNED BY items.pos_seq`);
    await queryRunner.query(`CREATE UNIQUE INDEX items_log_position ON items (pos_xid, pos_seq)`);
    await queryRunner.query(`CREATE INDEX items_recorded_at ON items (recorded_at)`);
    await queryRunner.query(`CREATE INDEX items_live ON items (id) WHERE NOT deleted`);
    await queryRunner.query(`
      CREATE TABLE node_meta (
        key   text PRIMARY KEY,
        value text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE peer_checkpoints (
        peer            text PRIMARY KEY,
        remote_cursor   text,
        local_cursor    text,
        last_result     jsonb,
        last_success_at timestamptz,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE conflicts (
        id          bigserial PRIMARY KEY,
        item_id     uuid NOT NULL,
        peer        text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        winner      jsonb NOT NULL,
        loser       jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX conflicts_by_item ON conflicts (item_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE conflicts`);
    await queryRunner.query(`DROP TABLE peer_checkpoints`);
    await queryRunner.query(`DROP TABLE node_meta`);
    await queryRunner.query(`DROP TABLE items`);
  }
}
