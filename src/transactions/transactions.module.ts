import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { LogRepository } from './log.repository';
import { NodeEpoch } from './node-epoch.service';
import { NodeMetaRepository } from './node-meta.repository';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

@Module({
  imports: [ItemsModule],
  controllers: [TransactionsController],
  providers: [LogRepository, NodeEpoch, NodeMetaRepository, TransactionsService],
  exports: [LogRepository, NodeEpoch, TransactionsService],
})
export class TransactionsModule {}
