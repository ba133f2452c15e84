import { Module } from '@nestjs/common';
import { BulkWriter } from './bulk-writer';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { LocalWriter } from './local-writer';

@Module({
  controllers: [ItemsController],
  providers: [BulkWriter, ItemsRepository, ItemsService, LocalWriter],
  exports: [ItemsRepository, ItemsService, LocalWriter],
})
export class ItemsModule {}
