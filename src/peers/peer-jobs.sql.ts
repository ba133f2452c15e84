import { named } from '../db/statements';

/** The job of each of the peers in $1; a run counts as running while its heartbeat is under $2 seconds old. */
export const JOBS = named(
  'peer_jobs',
  `SELECT peer, paused, stood_down AS "stoodDown", consecutive_failures AS "consecutiveFailures",
          next_run_at AS "nextRunAt", progress,
          (running_since IS NOT NULL AND heartbeat_at > now() - make_interval(secs => $2)) AS running
   FROM peer_jobs WHERE peer = ANY($1::text[])`,
);

/** Marks peer $1 as run by owner $2, with progress $3. */
export const BEGIN_RUN = named(
  'begin_run',
  `INSERT INTO peer_jobs (peer, running_since, running_owner, heartbeat_at, progress) VALUES ($1, now(), $2, now(), $3)
   ON CONFLICT (peer) DO UPDATE SET running_since = now(), running_owner = $2, heartbeat_at = now(),
     progress = $3, updated_at = now()`,
);

export const HEARTBEAT = named(
  'heartbeat',
  `UPDATE peer_jobs SET heartbeat_at = now(), progress = $3
   WHERE peer = $1 AND running_owner = $2 AND running_since IS NOT NULL`,
);

/**
 * A finished run in one statement: its record, the pruning of the oldest
 * (the DELETE sees the table as it was before the INSERT beside it, so it
 * keeps RUNS_KEPT - 1 older runs: $13), and the job's update. Its
 * transaction commits without waiting for the disk: set_config(…, true)
 * holds until that transaction ends.
 */
export const FINISH_RUN = named(
  'finish_run',
  `WITH recorded AS (
      INSERT INTO peer_runs (peer, trigger, started_at, finished_at, ok, pulled, pushed, conflicts, rounds, error)
      VALUES ($1, $5, $6, $7, $2, $8, $9, $10, $11, $12)),
    pruned AS (
      DELETE FROM peer_runs WHERE peer = $1
        AND id < (SELECT id FROM peer_runs WHERE peer = $1 ORDER BY id DESC OFFSET $13 LIMIT 1)),
    job AS (
      INSERT INTO peer_jobs (peer, consecutive_failures, stood_down) VALUES ($1, CASE WHEN $2 THEN 0 ELSE 1 END, $3)
      ON CONFLICT (peer) DO UPDATE SET
        consecutive_failures = CASE WHEN $2 THEN 0 ELSE peer_jobs.consecutive_failures + 1 END,
        stood_down = CASE WHEN $2 THEN false WHEN $3 THEN true ELSE peer_jobs.stood_down END,
        running_since = CASE WHEN peer_jobs.running_owner = $4 THEN NULL ELSE peer_jobs.running_since END,
        progress = CASE WHEN peer_jobs.running_owner = $4 THEN NULL ELSE peer_jobs.progress END,
        updated_at = now()
      RETURNING consecutive_failures)
    SELECT consecutive_failures AS failures, set_config('synchronous_commit', 'off', true) FROM job`,
);
