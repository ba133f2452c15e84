import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsItemId, LowerCase } from '../common/validation';
import { NODE_ID_PATTERN } from '../config/env';
import { CONFLICTS_PAGE_DEFAULT, CONFLICTS_PAGE_MAX, MAX_PEERS_PER_SYNC } from '../core/limits';

export class SyncRequestBody {
  @IsOptional()
  @IsArray({ message: 'peers must be an array of peer ids' })
  @ArrayMaxSize(MAX_PEERS_PER_SYNC)
  @Matches(NODE_ID_PATTERN, { each: true, message: 'each peer must be a node id (1-32 of a-z 0-9 _ -)' })
  peers?: string[];
}

export class ConflictsQuery {
  @IsOptional()
  @IsItemId()
  @LowerCase()
  itemId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(CONFLICTS_PAGE_MAX)
  limit: number = CONFLICTS_PAGE_DEFAULT;
}
