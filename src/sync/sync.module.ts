import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ItemsModule } from '../items/items.module';
import { PeersModule } from '../peers/peers.module';
import { TransactionsModule } from '../transactions/transactions.module';
import { ConflictsRepository } from './conflicts.repository';
import { PeerLocks } from './peer-locks';
import { Reconciler } from './reconciler';
import { SyncCoordinator } from './sync.coordinator';
import { SyncMetrics } from './sync.metrics';
import { SyncScheduler } from './sync.scheduler';

@Module({
  imports: [ScheduleModule.forRoot(), ItemsModule, TransactionsModule, PeersModule],
  providers: [ConflictsRepository, PeerLocks, Reconciler, SyncCoordinator, SyncMetrics, SyncScheduler],
  exports: [ConflictsRepository, SyncCoordinator, SyncMetrics],
})
export class SyncModule {}
