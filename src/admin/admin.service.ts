import { Injectable } from '@nestjs/common';
import { SyncCoordinator } from '../sync/sync.coordinator';
import { ConflictsRepository } from '../sync/conflicts.repository';

/** What operators see and trigger: peers, their syncs, and the conflicts kept. */
@Injectable()
export class AdminService {
  constructor(
    private readonly coordinator: SyncCoordinator,
    private readonly conflicts: ConflictsRepository,
  ) {}

  async sync(peers: string[] | undefined) {
    return { results: await this.coordinator.syncNow(peers) };
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
