import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ItemsModule } from '../items/items.module';
import { TransactionsModule } from '../transactions/transactions.module';
import { PeerLocks } from './peer-locks';
import { Reconciler } from './reconciler';
import { SyncCoordinator } from './sync.coordinator';
import { SyncMetrics } from './sync.metrics';
import { SyncRepository } from './sync.repository';
import { SyncScheduler } from './sync.scheduler';

@Module({
  imports: [ScheduleModule.forRoot(), ItemsModule, TransactionsModule],
  providers: [PeerLocks, Reconciler, SyncCoordinator, SyncMetrics, SyncRepository, SyncScheduler],
  exports: [SyncCoordinator, SyncMetrics],
})
export class SyncModule {}
