import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one node; a registry of its own, so several nodes can share a process. */
@Injectable()
export class SyncMetrics {
  readonly registry = new Registry();

  readonly syncs = new Counter({
    name: 'logsync_syncs_total',
    help: 'Sync runs with a peer, by outcome',
    labelNames: ['peer', 'outcome'],
    registers: [this.registry],
  });

  readonly pulled = new Counter({
    name: 'logsync_items_pulled_total',
    help: 'Versions applied here from a peer',
    labelNames: ['peer'],
    registers: [this.registry],
  });

  readonly pushed = new Counter({
    name: 'logsync_items_pushed_total',
    help: 'Versions a peer applied from here',
    labelNames: ['peer'],
    registers: [this.registry],
  });

  readonly conflicts = new Counter({
    name: 'logsync_conflicts_total',
    help: 'Conflict records made (the losing side of a concurrent edit)',
    labelNames: ['peer'],
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: 'logsync_push_conflict_retries_total',
    help: 'Rounds retried because a push met a 409 (the peer changed after our read)',
    labelNames: ['peer'],
    registers: [this.registry],
  });

  readonly duration = new Histogram({
    name: 'logsync_sync_duration_seconds',
    help: 'Duration of a sync run with a peer',
    labelNames: ['peer'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'logsync_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
