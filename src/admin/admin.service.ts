import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/env';
import { PeerCheckpointEntity } from '../peers/peer-checkpoint.entity';
import { SyncCoordinator } from '../sync/sync.coordinator';

/** What operators see and trigger: peers and their syncs. */
@Injectable()
export class AdminService {
  constructor(
    private readonly config: AppConfig,
    private readonly coordinator: SyncCoordinator,
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
}
