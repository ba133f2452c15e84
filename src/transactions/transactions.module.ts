import { Module } from '@nestjs/common';
import { ItemsModule } from '../items/items.module';
import { LogRepository } from './log.repository';
import { NodeEpoch } from './node-epoch.service';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

@Module({
  imports: [ItemsModule],
  controllers: [TransactionsController],
  providers: [LogRepository, NodeEpoch, TransactionsService],
  exports: [LogRepository, NodeEpoch, TransactionsService],
})
export class TransactionsModule {}
