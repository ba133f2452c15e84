import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { PeersModule } from '../peers/peers.module';
import { SyncModule } from '../sync/sync.module';
import { AdminController, MetricsController } from './admin.controller';
import { AdminService } from './admin.service';
import { ConflictsController } from './conflicts.controller';
import { ConflictsService } from './conflicts.service';
import { NodeController } from './node.controller';
import { NodeService } from './node.service';

@Module({
  imports: [SyncModule, PeersModule, ItemsModule],
  controllers: [AdminController, ConflictsController, NodeController, MetricsController],
  providers: [AdminService, ConflictsService, NodeService],
})
export class AdminModule {}
