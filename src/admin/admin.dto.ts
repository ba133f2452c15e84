import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { NODE_ID_PATTERN } from '../config/env';
import { MAX_PEERS_PER_SYNC, RUNS_KEPT, RUNS_PAGE_DEFAULT } from '../core/limits';

export class SyncRequestBody {
  @IsOptional()
  @IsArray({ message: 'peers must be an array of peer ids' })
  @ArrayMaxSize(MAX_PEERS_PER_SYNC)
  @Matches(NODE_ID_PATTERN, { each: true, message: 'each peer must be a node id (1-32 of a-z 0-9 _ -)' })
  peers?: string[];
}

export class RunsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(RUNS_KEPT, { message: `limit must be at most ${RUNS_KEPT}` })
  limit: number = RUNS_PAGE_DEFAULT;
}
