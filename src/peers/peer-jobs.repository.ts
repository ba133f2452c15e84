import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RUNS_KEPT } from '../core/limits';
import { Statements } from '../db/statements';
import { BEGIN_RUN, FINISH_RUN, HEARTBEAT, JOBS } from './peer-jobs.sql';
import type { PeerJob, RunRecord } from './peer-state';

/** A run whose owner has not beaten its heart for this long is taken for dead (its process crashed). */
export const RUN_LEASE_SECONDS = 15;

function idleJob(peer: string): PeerJob {
  return { peer, running: false, paused: false, stoodDown: false, consecutiveFailures: 0, nextRunAt: null, progress: null };
}

/**
 * Owns the SQL of `peer_jobs` and `peer_runs`. Every answer about a job is
 * read here rather than from one process's memory, so all processes of a
 * node agree; a run counts as running only while its owner's heartbeat is fresh.
 */
@Injectable()
export class PeerJobsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: Statements,
  ) {}

  /** The job of each of `peers`; a peer never touched is idle. */
  async jobs(peers: string[]): Promise<Map<string, PeerJob>> {
    const rows = await this.statements.rows<PeerJob>(JOBS, [peers, RUN_LEASE_SECONDS]);
    const found = new Map(rows.map((row) => [row.peer, row]));
    return new Map(peers.map((peer) => [peer, found.get(peer) ?? idleJob(peer)]));
  }

  async job(peer: string): Promise<PeerJob> {
    return (await this.jobs([peer])).get(peer)!;
  }

  async setPaused(peer: string, paused: boolean): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO peer_jobs (peer, paused) VALUES ($1, $2)
       ON CONFLICT (peer) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()`,
      [peer, paused],
    );
  }

  /**
   * Plans the scheduler's first run with the peer `delayMs` from now, unless
   * a run is already planned ahead (by an earlier start, or another process).
   * Returns how long until the planned run.
   */
  async planFirstRun(peer: string, delayMs: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `INSERT INTO peer_jobs AS job (peer, next_run_at) VALUES ($1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (peer) DO UPDATE SET next_run_at = EXCLUDED.next_run_at, updated_at = now()
         WHERE job.next_run_at IS NULL OR job.next_run_at < now()
       RETURNING peer`,
      [peer, delayMs],
    );
    return row ? delayMs : ((await this.dueIn(peer)) ?? delayMs);
  }

  /**
   * Claims the run due now for this process: one claimer per due run across
   * processes (the row lock serialises them), none for a paused or stood-down
   * peer. The claim moves the plan `holdMs` ahead until the run sets the next.
   */
  async claimDueRun(peer: string, holdMs: number, earlyMs: number): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count].
    const rows = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE peer_jobs SET next_run_at = now() + $2 * interval '1 millisecond', updated_at = now()
         WHERE peer = $1 AND NOT paused AND NOT stood_down
           AND (next_run_at IS NULL OR next_run_at <= now() + $3 * interval '1 millisecond')
         RETURNING peer)
       SELECT peer FROM claimed`,
      [peer, holdMs, earlyMs],
    );
    return rows.length > 0;
  }

  /** Milliseconds until the planned run; null when none is planned, or the peer is paused or stood down. */
  async dueIn(peer: string): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT greatest(0, extract(epoch FROM next_run_at - now()) * 1000)::float8 AS due_in FROM peer_jobs
       WHERE peer = $1 AND NOT paused AND NOT stood_down AND next_run_at IS NOT NULL`,
      [peer],
    );
    return row ? Math.round(row.due_in) : null;
  }

  async setNextRun(peer: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO peer_jobs (peer, next_run_at) VALUES ($1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (peer) DO UPDATE SET next_run_at = EXCLUDED.next_run_at, updated_at = now()`,
      [peer, delayMs],
    );
  }

  /** With the scheduler off, no run is due, whatever an earlier configuration planned. */
  async clearSchedule(): Promise<void> {
    await this.dataSource.query(`UPDATE peer_jobs SET next_run_at = NULL, updated_at = now() WHERE next_run_at IS NOT NULL`);
  }

  /** Marks the peer as run by `owner` (a process), starting its heartbeat. */
  async beginRun(peer: string, owner: string, progress: object): Promise<void> {
    await this.statements.rows(BEGIN_RUN, [peer, owner, JSON.stringify(progress)]);
  }

  async heartbeat(peer: string, owner: string, progress: object): Promise<void> {
    await this.statements.rows(HEARTBEAT, [peer, owner, JSON.stringify(progress)]);
  }

  /**
   * Records a finished run, keeps the newest RUNS_KEPT, and updates the job:
   * a success clears failures and any standing down, a failure counts, a
   * refusal stands the peer down; `planNextMs`, given the failures now,
   * plans the scheduler's next run in the same transaction. Returns the
   * consecutive failures now.
   * Commits without waiting for the disk, like the last result: a crash
   * loses at most the latest record, never synced data.
   */
  async finishRun(owner: string, run: RunRecord, refused: boolean, planNextMs?: (failures: number) => number): Promise<number> {
    const values = [
      run.peer,
      run.ok,
      refused,
      owner,
      run.trigger,
      run.startedAt,
      run.finishedAt,
      run.pulled,
      run.pushed,
      run.conflicts,
      run.rounds,
      run.error ?? null,
      RUNS_KEPT - 2,
    ];
    if (!planNextMs) return (await this.statements.rows<{ failures: number }>(FINISH_RUN, values))[0].failures;
    return this.dataSource.transaction(async (tx) => {
      const [{ failures }] = await this.statements.rows<{ failures: number }>(FINISH_RUN, values, tx);
      await tx.query(`UPDATE peer_jobs SET next_run_at = now() + $2 * interval '1 millisecond' WHERE peer = $1`, [
        run.peer,
        planNextMs(failures),
      ]);
      return failures;
    });
  }

  /** The peer's runs, newest first. */
  async runs(peer: string, limit: number): Promise<RunRecord[]> {
    const rows: (Omit<RunRecord, 'error'> & { error: string | null })[] = await this.dataSource.query(
      `SELECT peer, trigger, started_at AS "startedAt", finished_at AS "finishedAt", ok, pulled, pushed, conflicts, rounds, error
       FROM peer_runs WHERE peer = $1 ORDER BY id DESC LIMIT $2`,
      [peer, limit],
    );
    return rows.map(({ error, ...run }) => (error === null ? run : { ...run, error }));
  }
}
