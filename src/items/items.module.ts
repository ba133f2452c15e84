import { Module } from '@nestjs/common';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { LocalWriter } from './local-writer';

@Module({
  controllers: [ItemsController],
  providers: [ItemsRepository, ItemsService, LocalWriter],
  exports: [ItemsRepository, ItemsService],
})
export class ItemsModule {}
