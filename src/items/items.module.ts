import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { LocalWriter } from './local-writer';

@Module({
  controllers: [ItemsController],
  providers: [Clock, ItemsRepository, ItemsService, LocalWriter],
  exports: [Clock, ItemsRepository, ItemsService, LocalWriter],
})
export class ItemsModule {}
