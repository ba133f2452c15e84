import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { PeerJobsRepository } from '../peers/peer-jobs.repository';
import type { RunTrigger } from '../peers/peer-state';
import { SyncProgress } from './sync-progress';
import type { PlanNext, SyncResult } from './sync-result';

/** How often a running sync reports its progress and renews its claim on the peer. */
const HEARTBEAT_MS = 1000;

/**
 * Writes what a run is doing where every process of the node reads it: the
 * run's start and owner, its progress each HEARTBEAT_MS, and its record when
 * it ends. A failure to write is logged, never allowed to fail the sync.
 */
@Injectable()
export class RunJournal {
  private readonly logger = new Logger('RunJournal');
  /** This process, as the owner of the runs it makes. */
  private readonly owner = randomUUID();

  constructor(private readonly jobs: PeerJobsRepository) {}

  /**
   * Which of `peers` an operator paused. If the database cannot say, none:
   * the sync itself then meets the database's trouble and reports it.
   */
  async paused(peers: string[]): Promise<Set<string>> {
    try {
      const jobs = await this.jobs.jobs(peers);
      return new Set(peers.filter((peer) => jobs.get(peer)!.paused));
    } catch (error) {
      this.logger.warn(`could not read whether ${peers.join(', ')} are paused: ${(error as Error).message}`);
      return new Set();
    }
  }

  /** Whether a change may start a round with the peer: not while it is paused or stood down, nor when that cannot be read. */
  async admitsChange(peer: string): Promise<boolean> {
    try {
      const job = await this.jobs.job(peer);
      return !job.paused && !job.stoodDown;
    } catch (error) {
      this.logger.warn(`could not read the sync job of ${peer}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Marks the peer as running here; the returned function stops the heartbeat. */
  async begin(peer: string, progress: SyncProgress): Promise<() => void> {
    await this.safely(peer, () => this.jobs.beginRun(peer, this.owner, progress.report()));
    const timer = setInterval(
      () => void this.safely(peer, () => this.jobs.heartbeat(peer, this.owner, progress.report())),
      HEARTBEAT_MS,
    );
    return () => clearInterval(timer);
  }

  /** Records the ended run and updates the peer's job; a 401 or 403 stands the peer down. */
  async finish(trigger: RunTrigger, startedAt: Date, result: SyncResult, planNextMs?: PlanNext): Promise<void> {
    const { peer, ok, pulled, pushed, conflicts, rounds, error } = result;
    const finishedAt = new Date(startedAt.getTime() + result.durationMs);
    const record = { peer, trigger, startedAt, finishedAt, ok, pulled, pushed, conflicts, rounds, error };
    await this.safely(peer, () => this.jobs.finishRun(this.owner, record, result.errorKind === 'unauthorized', planNextMs));
  }

  private async safely(peer: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.error(`could not record the sync job of ${peer}: ${(error as Error).message}`);
    }
  }
}
