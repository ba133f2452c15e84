import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/env';
import { PeerCheckpointEntity } from '../peers/peer-checkpoint.entity';
import { SyncCoordinator } from '../sync/sync.coordinator';
import { ConflictsRepository } from './conflicts.repository';

/** What operators see and trigger: peers, their syncs, and the conflicts kept. */
@Injectable()
export class AdminService {
  constructor(
    private readonly config: AppConfig,
    private readonly coordinator: SyncCoordinator,
    private readonly conflicts: ConflictsRepository,
    @InjectRepository(PeerCheckpointEntity) private readonly checkpoints: Repository<PeerCheckpointEntity>,
  ) {}

  async sync(peers: string[] | undefined) {
    return { results: await this.coordinator.syncNow(peers) };
  }

  async peers() {
    const saved = new Map((await this.checkpoints.find()).map((row) => [row.peer, row]));
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

  /** A page of conflict records, newest first; `next` continues after it (older records). */
  async listConflicts(itemId: string | undefined, limit: number, after?: string) {
    const { records, more } = await this.conflicts.newest(itemId, limit, { beforeId: after });
    return {
      conflicts: records.map((row) => ({
        id: row.id,
        itemId: row.itemId,
        peer: row.peer,
        detectedAt: row.detectedAt.toISOString(),
        winner: row.winner,
        loser: row.loser,
      })),
      next: more ? records[records.length - 1].id : null,
    };
  }
}
