import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { PeersModule } from '../peers/peers.module';
import { SyncModule } from '../sync/sync.module';
import { TransactionsModule } from '../transactions/transactions.module';
import { AdminController, MetricsController } from './admin.controller';
import { AdminService } from './admin.service';
import { Backlog } from './backlog';
import { ConflictsController } from './conflicts.controller';
import { ConflictsService } from './conflicts.service';
import { MetricsService } from './metrics.service';
import { NodeController } from './node.controller';
import { NodeService } from './node.service';
import { PeerJobsService } from './peer-jobs.service';

@Module({
  imports: [SyncModule, PeersModule, ItemsModule, TransactionsModule],
  controllers: [AdminController, ConflictsController, NodeController, MetricsController],
  providers: [AdminService, Backlog, ConflictsService, MetricsService, NodeService, PeerJobsService],
})
export class AdminModule {}
