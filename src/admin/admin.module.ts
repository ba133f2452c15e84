import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PeerCheckpointEntity } from '../peers/peer-checkpoint.entity';
import { SyncModule } from '../sync/sync.module';
import { AdminController, MetricsController } from './admin.controller';
import { AdminService } from './admin.service';
import { ConflictEntity } from './conflict.entity';
import { ConflictsRepository } from './conflicts.repository';

@Module({
  imports: [SyncModule, TypeOrmModule.forFeature([ConflictEntity, PeerCheckpointEntity])],
  controllers: [AdminController, MetricsController],
  providers: [AdminService, ConflictsRepository],
})
export class AdminModule {}
