import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { AppConfig, PeerConfig } from '../config/env';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { PeerJobsRepository } from '../peers/peer-jobs.repository';
import { SyncCoordinator } from '../sync/sync.coordinator';
import { Backlog } from './backlog';
import { PeerView, toPeerView } from './peer.view';

/** The peer jobs as operators see and steer them: state, pause, resume, reset, run history. */
@Injectable()
export class PeerJobsService {
  constructor(
    private readonly config: AppConfig,
    private readonly jobs: PeerJobsRepository,
    private readonly checkpoints: CheckpointsRepository,
    private readonly backlog: Backlog,
    private readonly coordinator: SyncCoordinator,
  ) {}

  async list(): Promise<{ node: string; peers: PeerView[] }> {
    return { node: this.config.nodeId, peers: await this.views(this.config.peers) };
  }

  async pause(id: string): Promise<PeerView> {
    await this.jobs.setPaused(this.known(id).id, true);
    return this.one(id);
  }

  async resume(id: string): Promise<PeerView> {
    await this.jobs.setPaused(this.known(id).id, false);
    return this.one(id);
  }

  /** Forgets both cursors, once any run with the peer has ended. */
  async reset(id: string): Promise<PeerView> {
    await this.coordinator.forget(this.known(id).id);
    return this.one(id);
  }

  async runs(id: string, limit: number) {
    const runs = await this.jobs.runs(this.known(id).id, limit);
    return {
      runs: runs.map(({ peer: _peer, startedAt, finishedAt, ...run }) => ({
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        ...run,
      })),
    };
  }

  private async one(id: string): Promise<PeerView> {
    return (await this.views([this.known(id)]))[0];
  }

  private async views(peers: PeerConfig[]): Promise<PeerView[]> {
    const ids = peers.map((peer) => peer.id);
    const [jobs, checkpoints] = await Promise.all([this.jobs.jobs(ids), this.checkpoints.all()]);
    const saved = new Map(checkpoints.map((row) => [row.peer, row]));
    return Promise.all(
      peers.map(async (peer) =>
        toPeerView({
          peer,
          job: jobs.get(peer.id)!,
          checkpoint: saved.get(peer.id),
          backlog: await this.backlog.push(peer.id, saved.get(peer.id)?.localCursor ?? null),
          local: this.coordinator.progress(peer.id),
        }),
      ),
    );
  }

  private known(id: string): PeerConfig {
    const peer = this.config.peers.find((each) => each.id === id);
    if (!peer) throw new DomainError('UNKNOWN_PEER', `unknown peer "${id.slice(0, 64)}"`);
    return peer;
  }
}
