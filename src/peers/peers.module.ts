import { Module } from '@nestjs/common';
import { CheckpointsRepository } from './checkpoints.repository';
import { PeerJobsRepository } from './peer-jobs.repository';

/** What this node keeps about its peers: the checkpoints of syncing with each, and each peer's sync job and runs. */
@Module({
  providers: [CheckpointsRepository, PeerJobsRepository],
  exports: [CheckpointsRepository, PeerJobsRepository],
})
export class PeersModule {}
