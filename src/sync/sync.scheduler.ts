import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/env';
import { nextDelay } from './backoff';
import { SyncCoordinator, SyncResult } from './sync.coordinator';

/**
 * Reconciles with every peer each `SYNC_INTERVAL_MS`: one timer per peer,
 * re-armed after each run (so a run never overlaps itself), backing off while
 * a peer fails (clock skew included, which may heal), and standing down for
 * a peer that refuses our credentials
 * until a sync with it succeeds.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  private readonly failures = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly coordinator: SyncCoordinator,
    private readonly timers: SchedulerRegistry,
  ) {
    coordinator.onResult((result) => this.noteResult(result));
  }

  onApplicationBootstrap(): void {
    if (this.config.syncIntervalMs === 0) return;
    for (const peer of this.config.peers) this.arm(peer.id, Math.round(Math.random() * Math.min(this.config.syncIntervalMs, 5000)));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const peer of this.config.peers) this.disarm(peer.id);
  }

  /** Called after any sync: a success clears the backoff and re-arms a peer the scheduler stood down for. */
  noteResult(result: SyncResult): void {
    if (!result.ok || this.config.syncIntervalMs === 0) return;
    const wasStopped = this.failures.get(result.peer) === Infinity;
    this.failures.set(result.peer, 0);
    if (wasStopped) this.arm(result.peer, this.config.syncIntervalMs);
  }

  private timerName(peer: string): string {
    return `logsync.sync.${peer}`;
  }

  private arm(peer: string, delayMs: number): void {
    if (this.stopped) return;
    this.disarm(peer);
    this.timers.addTimeout(this.timerName(peer), setTimeout(() => void this.tick(peer), delayMs));
  }

  private disarm(peer: string): void {
    if (this.timers.doesExist('timeout', this.timerName(peer))) this.timers.deleteTimeout(this.timerName(peer));
  }

  private async tick(peer: string): Promise<void> {
    this.timers.deleteTimeout(this.timerName(peer));
    const result = await this.coordinator.syncIfIdle(peer).catch((error: Error) => {
      this.logger.error(`scheduled sync with ${peer} crashed: ${error.message}`);
      return { ok: false, errorKind: 'internal' } as SyncResult;
    });
    if (result?.errorKind === 'unauthorized') {
      this.failures.set(peer, Infinity);
      this.logger.error(`${peer} refuses this node (${result.error}); scheduled syncs stop until an admin sync succeeds`);
      return;
    }
    const failures = !result || result.ok ? 0 : (this.failures.get(peer) ?? 0) + 1;
    this.failures.set(peer, failures);
    this.arm(peer, nextDelay(this.config.syncIntervalMs, failures, Math.random()));
  }
}
