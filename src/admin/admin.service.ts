import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { SyncCoordinator } from '../sync/sync.coordinator';

/** What operators see and trigger: peers and their syncs. */
@Injectable()
export class AdminService {
  constructor(
    private readonly config: AppConfig,
    private readonly coordinator: SyncCoordinator,
    private readonly checkpoints: CheckpointsRepository,
  ) {}

  async sync(peers: string[] | undefined) {
    return { results: await this.coordinator.syncNow(peers) };
  }

  async peers() {
    const saved = new Map((await this.checkpoints.all()).map((row) => [row.peer, row]));
    return {
      node: this.config.nodeId,
      peers: this.config.peers.map(({ id, shownUrl: url }) => {
        const row = saved.get(id);
        return {
          id,
          url,
          lastResult: row?.lastResult ?? null,
          lastSuccessAt: row?.lastSuccessAt?.toISOString() ?? null,
          checkpoint: { remoteCursor: row?.remoteCursor ?? null, localCursor: row?.localCursor ?? null },
          running: this.coordinator.progress(id) ?? null,
        };
      }),
    };
  }
}
