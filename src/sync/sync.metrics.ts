import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** Prometheus metrics of one node; a registry of its own, so several nodes can share a process. */
@Injectable()
export class SyncMetrics {
  readonly registry = new Registry();
  readonly syncs = counter(this.registry, 'logsync_syncs_total', 'Sync runs with a peer, by outcome', ['peer', 'outcome']);
  readonly pulled = counter(this.registry, 'logsync_items_pulled_total', 'Versions applied here from a peer', ['peer']);
  readonly pushed = counter(this.registry, 'logsync_items_pushed_total', 'Versions a peer applied from here', ['peer']);
  readonly conflicts = counter(this.registry, 'logsync_conflicts_total', 'Conflict records made (the losing side of a concurrent edit)', ['peer']);
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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'logsync_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
