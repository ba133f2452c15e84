import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ItemsModule } from '../items/items.module';
import { PeerCheckpointEntity } from '../peers/peer-checkpoint.entity';
import { SyncModule } from '../sync/sync.module';
import { AdminController, MetricsController } from './admin.controller';
import { AdminService } from './admin.service';
import { ConflictEntity } from './conflict.entity';
import { ConflictsController } from './conflicts.controller';
import { ConflictsRepository } from './conflicts.repository';
import { ConflictsService } from './conflicts.service';
import { NodeController } from './node.controller';
import { NodeService } from './node.service';

@Module({
  imports: [SyncModule, ItemsModule, TypeOrmModule.forFeature([ConflictEntity, PeerCheckpointEntity])],
  controllers: [AdminController, ConflictsController, NodeController, MetricsController],
  providers: [AdminService, ConflictsRepository, ConflictsService, NodeService],
})
export class AdminModule {}
