import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsItemId, LowerCase } from '../common/validation';
import { NODE_ID_PATTERN } from '../config/env';

export class SyncRequestBody {
  @IsOptional()
  @IsArray({ message: 'peers must be an array of peer ids' })
  @ArrayMaxSize(100)
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
  @Max(1000)
  limit: number = 100;

  /** The `next` of an earlier page: the id of the last record it held. */
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'after must be the next value of an earlier page' })
  after?: string;
}
