import { Module } from '@nestjs/common';
import { CheckpointsRepository } from './checkpoints.repository';

/** What this node keeps about its peers: the checkpoints of syncing with each. */
@Module({
  providers: [CheckpointsRepository],
  exports: [CheckpointsRepository],
})
export class PeersModule {}
