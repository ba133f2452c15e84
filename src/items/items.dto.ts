import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsItemId, KeepRaw, LowerCase } from '../common/validation';
import { ITEMS_PAGE_DEFAULT, ITEMS_PAGE_MAX, MAX_IDS_PER_BATCH } from '../core/limits';

export class CreateItemBody {
  @IsOptional()
  @IsItemId()
  @LowerCase()
  id?: string;

  @IsDefined({ message: 'data is required' })
  @KeepRaw()
  data: unknown;
}

export class PutItemBody {
  @IsDefined({ message: 'data is required' })
  @KeepRaw()
  data: unknown;
}

export class ItemIdParams {
  @IsItemId()
  @LowerCase()
  id: string;
}

/*
 * class-validator runs a property's checks bottom-up and the pipe stops at the
 * first error, so the type check is written last: `limit=abc` is then "must be
 * an integer", not "must not be greater than 1000".
 */

export class ListItemsQuery {
  @IsOptional()
  @Type(() => Number)
  @Max(ITEMS_PAGE_MAX)
  @Min(1)
  @IsInt({ message: 'limit must be an integer' })
  limit: number = ITEMS_PAGE_DEFAULT;

  @IsOptional()
  @IsString()
  after?: string;
}

export class BatchBody {
  @IsItemId({ each: true })
  @ArrayMaxSize(MAX_IDS_PER_BATCH, { message: `ids must hold at most ${MAX_IDS_PER_BATCH} ids` })
  @IsArray({ message: 'ids must be an array of UUIDs' })
  @LowerCase()
  ids: string[];

  /** False leaves `data` out (null): peers compare versions before moving bodies. */
  @IsOptional()
  @IsBoolean()
  withData: boolean = true;
}
