import { Module } from '@nestjs/common';
import { PeersModule } from '../peers/peers.module';
import { SyncModule } from '../sync/sync.module';
import { TransactionsModule } from '../transactions/transactions.module';
import { AdminController, MetricsController } from './admin.controller';
import { AdminService } from './admin.service';
import { Backlog } from './backlog';
import { MetricsService } from './metrics.service';
import { PeerJobsService } from './peer-jobs.service';

@Module({
  imports: [SyncModule, PeersModule, TransactionsModule],
  controllers: [AdminController, MetricsController],
  providers: [AdminService, Backlog, MetricsService, PeerJobsService],
})
export class AdminModule {}
