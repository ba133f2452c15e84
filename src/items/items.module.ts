import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BulkWriter } from './bulk-writer';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { LocalWriter } from './local-writer';

@Module({
  controllers: [ItemsController],
  providers: [BulkWriter, Clock, ItemsRepository, ItemsService, LocalWriter],
  exports: [Clock, ItemsRepository, ItemsService],
})
export class ItemsModule {}
