import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/env';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { PeerClient, PeerError, PeerErrorKind } from '../peers/peer-client';
import { retryDelay } from './backoff';
import { PeerLocks } from './peer-locks';
import { Reconciler, RoundTotals } from './reconciler';
import { SyncProgress } from './sync-progress';
import { SyncMetrics } from './sync.metrics';

export interface SyncResult {
  peer: string;
  ok: boolean;
  pulled: number;
  pushed: number;
  conflicts: number;
  rounds: number;
  durationMs: number;
  error?: string;
  errorKind?: PeerErrorKind | 'internal';
}

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
  private readonly running = new Map<string, { done: Promise<unknown>; progress: SyncProgress }>();
  private readonly listeners: ((result: SyncResult) => void)[] = [];
  /** Kept-alive connections to the peers, closed with the node. */
  private readonly http = new Agent({ keepAliveTimeout: 10_000, connections: 16 });

  constructor(
    private readonly config: AppConfig,
    private readonly reconciler: Reconciler,
    private readonly checkpoints: CheckpointsRepository,
    private readonly locks: PeerLocks,
    private readonly metrics: SyncMetrics,
    clock: Clock,
  ) {
    this.clients = new Map(
      config.peers.map((peer) => [peer.id, new PeerClient(peer, config.nodeId, config.syncSecret ?? '', () => clock.now(), this.http)]),
    );
  }

  onResult(listener: (result: SyncResult) => void): void {
    this.listeners.push(listener);
  }

  progress(peer: string): SyncProgress | undefined {
    return this.running.get(peer)?.progress;
  }

  /** The admin trigger: every named peer (default all), each after any sync of it already running. */
  async syncNow(peers: string[] = [...this.clients.keys()]): Promise<SyncResult[]> {
    const unknown = peers.filter((peer) => !this.clients.has(peer));
    if (unknown.length > 0) throw new DomainError('UNKNOWN_PEER', `unknown peer(s): ${unknown.join(', ')}`);
    return Promise.all([...new Set(peers)].map(async (peer) => (await this.runExclusive(peer, true))!));
  }

  /** The scheduler's tick: undefined when that peer's sync is already running here or elsewhere. */
  syncIfIdle(peer: string): Promise<SyncResult | undefined> {
    return this.runExclusive(peer, false);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const runs = [...this.running.values()].map((run) => run.done.catch(() => undefined));
    await Promise.race([Promise.all(runs), sleep(10_000, undefined, { ref: false })]);
    await this.http.close();
  }

  private async runExclusive(peer: string, wait: boolean): Promise<SyncResult | undefined> {
    for (let current = this.running.get(peer); current; current = this.running.get(peer)) {
      if (!wait) return undefined;
      await current.done.catch(() => undefined);
    }
    const progress = new SyncProgress();
    const done = this.locks.withLock(peer, wait, () => this.run(this.clients.get(peer)!, progress));
    this.running.set(peer, { done, progress });
    try {
      return await done;
    } finally {
      this.running.delete(peer);
    }
  }

  private async run(client: PeerClient, progress: SyncProgress): Promise<SyncResult> {
    const peer = client.peer.id;
    const started = Date.now();
    progress.start();
    const totals: RoundTotals = { pulled: 0, pushed: 0, conflicts: 0 };
    let rounds = 0;
    let failure: { kind: SyncResult['errorKind']; message: string } | undefined;
    for (let restarted = false; ; ) {
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
    const result: SyncResult = { peer, ok: !failure, ...totals, rounds, durationMs: Date.now() - started };
    if (failure) Object.assign(result, { error: `${failure.kind}: ${failure.message}`, errorKind: failure.kind });
    await this.record(result);
    return result;
  }

  private describe(error: unknown): { kind: SyncResult['errorKind']; message: string } {
    if (error instanceof PeerError) return { kind: error.kind, message: error.message };
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
  }

  private async record(result: SyncResult): Promise<void> {
    const { peer } = result;
    this.metrics.syncs.inc({ peer, outcome: result.ok ? 'ok' : (result.errorKind ?? 'error') });
    this.metrics.pulled.inc({ peer }, result.pulled);
    this.metrics.pushed.inc({ peer }, result.pushed);
    this.metrics.conflicts.inc({ peer }, result.conflicts);
    this.metrics.duration.observe({ peer }, result.durationMs / 1000);
    for (const listener of this.listeners) listener(result);
    if (!result.ok) this.logger.warn(`sync with ${peer} failed after ${result.rounds} round(s): ${result.error}`);
    await this.checkpoints.saveResult(peer, result, result.ok).catch((error: Error) => {
      this.logger.error(`could not save the result of the sync with ${peer}: ${error.message}`);
    });
  }
}
