import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { PeerJobsRepository } from '../peers/peer-jobs.repository';
import { MAX_TIMER_MS, nextDelay } from './backoff';
import { SyncCoordinator } from './sync.coordinator';

/** A timer may fire this much before the planned time and still claim the run. */
const EARLY_MS = 100;
/** Processes waiting for the same planned run fire up to this much apart, so each gets its turns. */
const SPREAD_MS = 250;

/**
 * Reconciles with every peer each `SYNC_INTERVAL_MS`, backing off while a
 * peer fails, and leaving alone a peer that is paused or refused our
 * credentials (until a sync with it succeeds). The plan lives in the peer's
 * job row, not in this process: every process of the node keeps one timer
 * per peer, and the one that claims the planned run in the database runs it,
 * so processes share one schedule and a restart resumes it.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly coordinator: SyncCoordinator,
    private readonly jobs: PeerJobsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.syncIntervalMs === 0) return this.jobs.clearSchedule();
    for (const { id } of this.config.peers) {
      this.arm(id, await this.jobs.planFirstRun(id, Math.round(Math.random() * Math.min(this.config.syncIntervalMs, 5000))));
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  private arm(peer: string, delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(peer));
    this.timers.set(
      peer,
      setTimeout(() => void this.tick(peer), Math.min(delayMs, MAX_TIMER_MS)),
    );
  }

  private spread(): number {
    return Math.round(Math.random() * Math.min(SPREAD_MS, this.config.syncIntervalMs / 5));
  }

  private async tick(peer: string): Promise<void> {
    const interval = this.config.syncIntervalMs;
    try {
      if (!(await this.jobs.claimDueRun(peer, interval, EARLY_MS))) {
        const due = await this.jobs.dueIn(peer);
        return this.arm(peer, due === null ? interval : due + this.spread());
      }
      const planNext = (failures: number) => nextDelay(interval, failures, Math.random());
      const result = await this.coordinator.syncIfIdle(peer, planNext);
      if (result === undefined) await this.jobs.setNextRun(peer, planNext((await this.jobs.job(peer)).consecutiveFailures));
      if (result?.errorKind === 'unauthorized') {
        this.logger.error(`${peer} refuses this node (${result.error}); scheduled syncs stop until a sync with it succeeds`);
      }
      this.arm(peer, ((await this.jobs.dueIn(peer)) ?? interval) + this.spread());
    } catch (error) {
      this.logger.error(`scheduled sync with ${peer} failed: ${(error as Error).message}`);
      this.arm(peer, interval);
    }
  }
}
