import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { BodyWithData } from '../http/data-body';
import { ConflictIdParams, ConflictsQuery, ResolveConflictBody } from './conflicts.dto';
import { ConflictsService } from './conflicts.service';

@Controller('admin/conflicts')
export class ConflictsController {
  constructor(private readonly conflicts: ConflictsService) {}

  @Get()
  list(@Query() query: ConflictsQuery) {
    return this.conflicts.list(query);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  resolve(@Param() params: ConflictIdParams, @BodyWithData(ResolveConflictBody) body: ResolveConflictBody) {
    return this.conflicts.resolve(params.id, body);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  dismiss(@Param() params: ConflictIdParams) {
    return this.conflicts.dismiss(params.id);
  }
}
