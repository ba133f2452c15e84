import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { SyncCoordinator } from '../sync/sync.coordinator';
import { ConflictsRepository } from '../sync/conflicts.repository';

/** What operators see and trigger: peers, their syncs, and the conflicts kept. */
@Injectable()
export class AdminService {
  constructor(
    private readonly config: AppConfig,
    private readonly coordinator: SyncCoordinator,
    private readonly conflicts: ConflictsRepository,
    private readonly checkpoints: CheckpointsRepository,
  ) {}

  async sync(peers: string[] | undefined) {
    return { results: await this.coordinator.syncNow(peers) };
  }

  async peers() {
    const saved = new Map((await this.checkpoints.all()).map((row) => [row.peer, row]));
    return {
      node: this.config.nodeId,
      peers: this.config.peers.map(({ id, url }) => {
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

  async listConflicts(itemId: string | undefined, limit: number) {
    const rows = await this.conflicts.newest(itemId, limit);
    return {
      conflicts: rows.map((row) => ({
        itemId: row.itemId,
        peer: row.peer,
        detectedAt: row.detectedAt.toISOString(),
        winner: row.winner,
        loser: row.loser,
      })),
    };
  }
}
