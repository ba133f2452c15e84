import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
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

export class ListItemsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @IsOptional()
  @IsString()
  after?: string;
}

export const MAX_BATCH_IDS = 1000;

export class BatchBody {
  @IsArray({ message: 'ids must be an array of UUIDs' })
  @ArrayMaxSize(MAX_BATCH_IDS, { message: `ids must hold at most ${MAX_BATCH_IDS} ids` })
  @IsItemId({ each: true })
  @LowerCase()
  ids: string[];
}
