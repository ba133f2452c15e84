import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an operator sees of each peer's sync job, shared by every process of
 * the node: `peer_jobs` holds the job's state (paused, standing down after a
 * refusal, consecutive failures, next scheduled run, and the run in
 * progress with its owner's heartbeat), `peer_runs` the history of runs,
 * newest first by id, pruned to the last 1000 per peer on insert.
 */
export class PeerJobs1796161981248 implements MigrationInterface {
  name = 'PeerJobs1796161981248';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE peer_jobs (
        peer                 text COLLATE "C" PRIMARY KEY,
        paused               boolean NOT NULL DEFAULT false,
        stood_down           boolean NOT NULL DEFAULT false,
        consecutive_failures integer NOT NULL DEFAULT 0,
        next_run_at          timestamptz,
        running_since        timestamptz,
        running_owner        text,
        heartbeat_at         timestamptz,
        progress             jsonb,
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT peer_jobs_peer_node_id CHECK (peer ~ '^[a-z0-9_-]{1,32}$'),
        CONSTRAINT peer_jobs_failures_count CHECK (consecutive_failures >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE peer_runs (
        id          bigserial PRIMARY KEY,
        peer        text COLLATE "C" NOT NULL,
        started_at  timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        trigger     text NOT NULL,
        ok          boolean NOT NULL,
        pulled      integer NOT NULL,
        pushed      integer NOT NULL,
        conflicts   integer NOT NULL,
        rounds      integer NOT NULL,
        error       text,
        CONSTRAINT peer_runs_trigger CHECK (trigger IN ('admin', 'schedule', 'write')),
        CONSTRAINT peer_runs_counts CHECK (pulled >= 0 AND pushed >= 0 AND conflicts >= 0 AND rounds >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX peer_runs_newest ON peer_runs (peer, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE peer_runs`);
    await queryRunner.query(`DROP TABLE peer_jobs`);
  }
}
