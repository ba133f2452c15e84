import { Controller, Get, Header, Put, Query } from '@nestjs/common';
import { PeerRoute, SignedBy } from '../auth/auth.decorators';
import { RawJsonBody } from '../http/data-body';
import { parsePushBody } from './push-body';
import { LogPageQuery } from './transactions.dto';
import { TransactionsService } from './transactions.service';

@Controller('items/transactions')
@PeerRoute()
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  @Header('Content-Type', 'application/json; charset=utf-8')
  read(@Query() query: LogPageQuery) {
    return this.transactions.readLog(query);
  }

  @Put()
  push(@RawJsonBody() body: unknown, @SignedBy() signedBy: string | undefined) {
    return this.transactions.applyPush(parsePushBody(body), signedBy);
  }
}
