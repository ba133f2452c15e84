import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsItemId, KeepRaw, LowerCase } from '../common/validation';

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
  @Max(1000)
  @Min(1)
  @IsInt({ message: 'limit must be an integer' })
  limit: number = 100;

  @IsOptional()
  @IsString()
  after?: string;
}

export const MAX_BATCH_IDS = 1000;
/** The most item data one answer of `GET /items` or `POST /items/batch` carries (always at least one item). */
export const MAX_ANSWER_DATA_BYTES = 8 * 1024 * 1024;

export class BatchBody {
  @IsItemId({ each: true })
  @ArrayMaxSize(MAX_BATCH_IDS, { message: `ids must hold at most ${MAX_BATCH_IDS} ids` })
  @IsArray({ message: 'ids must be an array of UUIDs' })
  @LowerCase()
  ids: string[];

  /** False leaves `data` out (null): peers compare versions before moving bodies. */
  @IsOptional()
  @IsBoolean()
  withData: boolean = true;
}
