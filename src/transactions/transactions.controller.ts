import { Controller, Get, Put, Query } from '@nestjs/common';
import { PeerRoute, SignedBy } from '../auth/auth.decorators';
import { RawJsonBody } from '../http/data-body';
import { jsonAnswer } from '../http/json-answer';
import { parsePushBody } from './push-body';
import { LogPageQuery } from './transactions.dto';
import { TransactionsService } from './transactions.service';

@Controller('items/transactions')
@PeerRoute()
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  async read(@Query() query: LogPageQuery) {
    return jsonAnswer(await this.transactions.readLog(query));
  }

  @Put()
  push(@RawJsonBody() body: unknown, @SignedBy() signedBy: string | undefined) {
    return this.transactions.applyPush(parsePushBody(body), signedBy);
  }
}
