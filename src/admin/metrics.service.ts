import { Injectable } from '@nestjs/common';
import { SyncMetrics } from '../sync/sync.metrics';
import { ConflictsRepository } from '../sync/conflicts.repository';
import { PeerJobsService } from './peer-jobs.service';

/** `GET /metrics`: the counters kept as syncs run, and the peer gauges read fresh for each scrape. */
@Injectable()
export class MetricsService {
  constructor(
    private readonly metrics: SyncMetrics,
    private readonly peerJobs: PeerJobsService,
    private readonly conflicts: ConflictsRepository,
  ) {}

  async text(): Promise<string> {
    const [{ peers }, openConflicts] = await Promise.all([this.peerJobs.list(), this.conflicts.countOpen()]);
    const readings = peers.map((view) => ({
      peer: view.id,
      backlog: view.backlog.push,
      lastSuccessAt: view.lastSuccessAt === null ? null : new Date(view.lastSuccessAt),
      state: view.state,
    }));
    return this.metrics.text(readings, openConflicts);
  }
}
