import { Injectable } from '@nestjs/common';
import { SyncCoordinator } from '../sync/sync.coordinator';

/** What operators trigger: syncs with peers. */
@Injectable()
export class AdminService {
  constructor(private readonly coordinator: SyncCoordinator) {}

  async sync(peers: string[] | undefined) {
    return { results: await this.coordinator.syncNow(peers) };
  }
}
