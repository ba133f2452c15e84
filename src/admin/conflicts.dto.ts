import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsItemId, KeepRaw, LowerCase } from '../common/validation';
import { NODE_ID_PATTERN } from '../config/env';
import { CONFLICTS_PAGE_DEFAULT, CONFLICTS_PAGE_MAX } from '../core/limits';
import { CONFLICT_STATUSES, ConflictStatus } from '../sync/conflicts.repository';

export class ConflictsQuery {
  @IsOptional()
  @IsItemId()
  @LowerCase()
  itemId?: string;

  @IsOptional()
  @Matches(NODE_ID_PATTERN, { message: 'peer must be a node id (1-32 of a-z 0-9 _ -)' })
  peer?: string;

  @IsOptional()
  @IsIn(CONFLICT_STATUSES, { message: `status must be one of ${CONFLICT_STATUSES.join(', ')}` })
  status: ConflictStatus = 'open';

  @IsOptional()
  @Type(() => Number)
  @Max(CONFLICTS_PAGE_MAX)
  @Min(1)
  @IsInt({ message: 'limit must be an integer' })
  limit: number = CONFLICTS_PAGE_DEFAULT;

  @IsOptional()
  @IsString()
  after?: string;
}

/** Checked in full by the service: exactly one of the two, and `data` as any item's data. */
export class ResolveConflictBody {
  @IsOptional()
  @IsIn(['winner', 'loser'], { message: 'pick must be "winner" or "loser"' })
  pick?: 'winner' | 'loser';

  @IsOptional()
  @KeepRaw()
  data?: unknown;
}

export class ConflictIdParams {
  @IsString()
  id: string;
}
