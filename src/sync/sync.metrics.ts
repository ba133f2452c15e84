import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PEER_STATES, PeerState } from '../peers/peer-state';

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[]): Gauge {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

/** One peer's job as the gauges show it. */
export interface PeerReading {
  peer: string;
  backlog: number;
  /** Null until a sync with the peer has succeeded. */
  lastSuccessAt: Date | null;
  state: PeerState;
}

/** Prometheus metrics of one node; a registry of its own, so several nodes can share a process. */
@Injectable()
export class SyncMetrics {
  readonly registry = new Registry();
  readonly syncs = counter(this.registry, 'logsync_syncs_total', 'Sync runs with a peer, by outcome', ['peer', 'outcome']);
  readonly pulled = counter(this.registry, 'logsync_items_pulled_total', 'Versions applied here from a peer', ['peer']);
  readonly pushed = counter(this.registry, 'logsync_items_pushed_total', 'Versions a peer applied from here', ['peer']);
  readonly conflicts = counter(
    this.registry,
    'logsync_conflicts_total',
    'Conflict records made (the losing side of a concurrent edit)',
    ['peer'],
  );
  readonly retries = counter(
    this.registry,
    'logsync_push_conflict_retries_total',
    'Rounds retried because a push met a 409 (the peer changed after our read)',
    ['peer'],
  );

  readonly duration = new Histogram({
    name: 'logsync_sync_duration_seconds',
    help: 'Duration of a sync run with a peer',
    labelNames: ['peer'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });

  readonly backlog = gauge(this.registry, 'logsync_peer_backlog', "This node's log entries not yet offered to the peer", [
    'peer',
  ]);
  readonly sinceSuccess = gauge(
    this.registry,
    'logsync_peer_seconds_since_last_success',
    'Seconds since the last successful sync with the peer (absent before the first)',
    ['peer'],
  );
  readonly state = gauge(this.registry, 'logsync_peer_state', "The peer job's state: 1 for the current one, 0 for the others", [
    'peer',
    'state',
  ]);
  readonly openConflicts = gauge(this.registry, 'logsync_conflicts_open', 'Conflict records kept on this node', []);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'logsync_' });
  }

  /** The text of every metric, the peer gauges set from `peers` and `openConflicts` as read for this scrape. */
  text(peers: PeerReading[], openConflicts: number, nowMs = Date.now()): Promise<string> {
    this.backlog.reset();
    this.sinceSuccess.reset();
    this.state.reset();
    for (const { peer, backlog, lastSuccessAt, state } of peers) {
      this.backlog.set({ peer }, backlog);
      if (lastSuccessAt) this.sinceSuccess.set({ peer }, Math.max(0, (nowMs - lastSuccessAt.getTime()) / 1000));
      for (const each of PEER_STATES) this.state.set({ peer, state: each }, each === state ? 1 : 0);
    }
    this.openConflicts.set(openConflicts);
    return this.registry.metrics();
  }
}
