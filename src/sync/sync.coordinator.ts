import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/env';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { DatabaseHost } from '../db/database.module';
import { PeerClient, PeerError } from '../peers/peer-client';
import { retryDelay } from './backoff';
import { PeerLocks } from './peer-locks';
import { Reconciler, RoundTotals } from './reconciler';
import { RoundSlots } from './round-slots';
import { RunJournal } from './run-journal';
import { PlanNext, SyncResult, SyncTrigger, pausedResult, unstartedResult } from './sync-result';
import { SyncProgress } from './sync-progress';
import { reportSync } from './sync-report';
import { SyncMetrics } from './sync.metrics';

export type { SyncResult, SyncTrigger } from './sync-result';

/** Rounds one sync may take when pushes keep meeting 409s. */
export const MAX_ROUNDS = 8;

/**
 * Runs syncs: at most one per peer at a time in this process (a second caller
 * waits for the first) and, through the advisory lock, across processes.
 */
@Injectable()
export class SyncCoordinator implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Sync');
  private readonly clients: Map<string, PeerClient>;
  private readonly running = new Map<string, { done: Promise<unknown>; progress?: SyncProgress }>();
  /** Kept-alive connections to the peers, closed with the node. */
  private readonly http = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  private readonly slots: RoundSlots;

  constructor(
    private readonly config: AppConfig,
    private readonly reconciler: Reconciler,
    private readonly checkpoints: CheckpointsRepository,
    private readonly locks: PeerLocks,
    private readonly metrics: SyncMetrics,
    private readonly journal: RunJournal,
    clock: Clock,
    database: DatabaseHost,
  ) {
    const limits = { timeoutMs: config.limits.peerTimeoutMs };
    const now = () => clock.now();
    this.clients = new Map(
      config.peers.map((peer) => [peer.id, new PeerClient(peer, config.nodeId, config.syncSecret ?? '', now, this.http, limits)]),
    );
    this.slots = RoundSlots.forPool(database.poolSize);
  }

  progress(peer: string): SyncProgress | undefined {
    return this.running.get(peer)?.progress;
  }

  /** The admin trigger: every named peer (default all), each after any sync of it already running; a paused peer is not run. */
  async syncNow(peers: string[] = [...this.clients.keys()]): Promise<SyncResult[]> {
    const unknown = peers.filter((peer) => !this.clients.has(peer));
    if (unknown.length > 0) throw new DomainError('UNKNOWN_PEER', `unknown peer(s): ${unknown.join(', ')}`);
    const named = [...new Set(peers)];
    // Read while each peer's lock is taken: a paused peer then neither runs nor waits for a running sync.
    const paused = this.journal.paused(named);
    return Promise.all(
      named.map(async (peer) => {
        const admitted = paused.then((set) => !set.has(peer));
        return (await this.runSync(peer, true, 'admin', undefined, admitted)) ?? pausedResult(peer);
      }),
    );
  }

  /** The scheduler's tick: undefined when that peer's sync is already running here or elsewhere. */
  syncIfIdle(peer: string, planNextMs: PlanNext): Promise<SyncResult | undefined> {
    return this.runSync(peer, false, 'schedule', planNextMs);
  }

  /** Near-live sync after a change: after any running sync of the peer; skipped for a paused or stood-down peer. */
  async syncForChange(peer: string): Promise<SyncResult | undefined> {
    if (!(await this.journal.admitsChange(peer))) return undefined;
    return this.runSync(peer, true, 'write');
  }

  /** Forgets both cursors of the peer, once any sync of it here or in another process has ended. */
  async forget(peer: string): Promise<void> {
    await this.exclusive(peer, true, undefined, () => this.checkpoints.reset(peer));
  }

  async beforeApplicationShutdown(): Promise<void> {
    const runs = [...this.running.values()].map((run) => run.done.catch(() => undefined));
    await Promise.race([Promise.all(runs), sleep(10_000, undefined, { ref: false })]);
    await this.http.close();
  }

  /**
   * `planNextMs`: the scheduler's next run, planned with the run's record.
   * Undefined when the peer was busy and `wait` false, or `admitted` said no.
   */
  private runSync(
    peer: string,
    wait: boolean,
    trigger: SyncTrigger,
    planNextMs?: PlanNext,
    admitted?: Promise<boolean>,
  ): Promise<SyncResult | undefined> {
    const progress = new SyncProgress();
    // A round reports its own failures; what escapes is the lock itself failing, answered as a result, never a 500.
    return this.exclusive(
      peer,
      wait,
      progress,
      () => this.slots.run(() => this.run(this.clients.get(peer)!, progress, trigger, planNextMs)),
      admitted,
    ).catch((error: Error) => unstartedResult(peer, error));
  }

  /**
   * Runs `work` as the one thing done with the peer, in this process and (by
   * its lock) in any other; not at all unless `admitted`, which is awaited
   * before any wait for the peer and once its lock is held.
   */
  private async exclusive<T>(
    peer: string,
    wait: boolean,
    progress: SyncProgress | undefined,
    work: () => Promise<T>,
    admitted: Promise<boolean> = Promise.resolve(true),
  ): Promise<T | undefined> {
    for (let current = this.running.get(peer); current; current = this.running.get(peer)) {
      if (!wait || !(await admitted)) return undefined;
      await current.done.catch(() => undefined);
    }
    const done = this.locks.withLock(peer, wait && (() => admitted), async () => ((await admitted) ? work() : undefined));
    const entry: { done: Promise<unknown>; progress?: SyncProgress } = { done };
    // Shown (as `waiting` until the lock is held) only for a sync that is to run.
    void admitted.then((yes) => yes && (entry.progress = progress));
    this.running.set(peer, entry);
    try {
      return await done;
    } finally {
      this.running.delete(peer);
    }
  }

  private async run(
    client: PeerClient,
    progress: SyncProgress,
    trigger: SyncTrigger,
    planNextMs?: PlanNext,
  ): Promise<SyncResult> {
    const peer = client.peer.id;
    const started = Date.now();
    progress.start();
    // Not awaited: the round need not wait for its own bookkeeping.
    const heartbeat = this.journal.begin(peer, progress);
    const totals: RoundTotals = { pulled: 0, pushed: 0, conflicts: 0, refused: 0 };
    let rounds = 0;
    let failure: { kind: SyncResult['errorKind']; message: string } | undefined;
    for (let restarted = false; ;) {
      rounds++;
      try {
        if (failure?.kind === 'foreign-cursor') await this.reconciler.startOver(peer);
        await this.reconciler.round(client, totals, progress);
        failure = undefined;
        break;
      } catch (error) {
        failure = this.describe(error);
        if (failure.kind === 'push-conflict' && rounds < MAX_ROUNDS) {
          this.metrics.retries.inc({ peer });
          await sleep(retryDelay(rounds, Math.random()));
        } else if (failure.kind === 'foreign-cursor' && !restarted) {
          // The next round starts over: the reset runs inside it, so its failure is reported like any other.
          this.logger.warn(`${peer}'s database was reset or restored: starting over with it`);
          restarted = true;
        } else {
          break;
        }
      }
    }
    (await heartbeat)();
    const result: SyncResult = { peer, ok: !failure, ...totals, rounds, durationMs: Date.now() - started };
    if (failure) Object.assign(result, { error: `${failure.kind}: ${failure.message}`, errorKind: failure.kind });
    else if (totals.refused > 0)
      result.error = `refused: ${totals.refused} version(s) stamped beyond MAX_FUTURE_MS were left out`;
    // The last result and the run's record are independent writes; the metrics and log line are made
    // while they travel (once this turn of the event loop, which sends them, is over).
    const saved = Promise.all([this.saveResult(result), this.journal.finish(trigger, new Date(started), result, planNextMs)]);
    await new Promise((resolve) => setImmediate(resolve));
    reportSync(this.logger, this.metrics, result, trigger);
    await saved;
    return result;
  }

  private describe(error: unknown): { kind: SyncResult['errorKind']; message: string } {
    if (error instanceof PeerError) return { kind: error.kind, message: error.message };
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
  }

  /** The last result, for `GET /admin/peers`; a failure to save it is logged, never the sync's. */
  private async saveResult(result: SyncResult): Promise<void> {
    await this.checkpoints.saveResult(result.peer, result, result.ok).catch((error: Error) => {
      this.logger.error(`could not save the result of the sync with ${result.peer}: ${error.message}`);
    });
  }
}
