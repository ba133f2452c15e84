import { Module } from '@nestjs/common';
import { PeersModule } from '../peers/peers.module';
import { SyncModule } from '../sync/sync.module';
import { AdminController, MetricsController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [SyncModule, PeersModule],
  controllers: [AdminController, MetricsController],
  providers: [AdminService],
})
export class AdminModule {}
