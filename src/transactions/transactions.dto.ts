import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { FINGERPRINT_PATTERN } from '../core/fingerprint';
import { ISO_UTC_PATTERN, IsItemId, KeepRaw, LowerCase } from '../common/validation';
import { NODE_ID_PATTERN } from '../config/env';
import { LOG_PAGE_DEFAULT, LOG_PAGE_MAX } from '../core/limits';

export const LOG_INCLUDES = ['data', 'replaces', 'remaining'] as const;
export type LogInclude = (typeof LOG_INCLUDES)[number];

export class LogPageQuery {
  @IsOptional()
  @Matches(ISO_UTC_PATTERN, { message: 'earliest must be an ISO-8601 UTC time such as 2026-11-21T04:46:17.123Z' })
  earliest?: string;

  @IsOptional()
  @IsString()
  after?: string;

  // class-validator runs checks bottom-up and stops at the first error: the type check goes last.
  @IsOptional()
  @Type(() => Number)
  @Max(LOG_PAGE_MAX)
  @Min(1)
  @IsInt({ message: 'limit must be an integer' })
  limit: number = LOG_PAGE_DEFAULT;

  /**
   * `data` adds each entry's body; `replaces` the fingerprint it was written
   * over; `remaining` about how many entries follow the page (sync progress).
   */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value))
  @IsIn(LOG_INCLUDES, { each: true, message: `include must be a comma list of ${LOG_INCLUDES.join(', ')}` })
  include: LogInclude[] = [];

  /** Ignored: makes each signed request of a peer unique (see PeerClient). */
  @IsOptional()
  @Matches(/^[0-9a-f]{1,64}$/, { message: 'nonce must be lowercase hex' })
  nonce?: string;
}

/** One version as a peer pushes it. */
export class PushEntry {
  @IsItemId()
  @LowerCase()
  itemId: string;

  @Matches(ISO_UTC_PATTERN, { message: 'updatedAt must be an ISO-8601 UTC time with milliseconds' })
  updatedAt: string;

  @Matches(FINGERPRINT_PATTERN, { message: 'fingerprint must be 40 lowercase hex digits' })
  fingerprint: string;

  @IsBoolean()
  deleted: boolean;

  @Matches(NODE_ID_PATTERN, { message: 'origin must be a node id (1-32 of a-z 0-9 _ -)' })
  origin: string;

  @Max(2 ** 31 - 1)
  @Min(-(2 ** 31))
  @IsInt()
  priority: number;

  @IsOptional()
  @KeepRaw()
  data?: unknown;

  @IsOptional()
  @Matches(FINGERPRINT_PATTERN, { message: 'replaces must be 40 lowercase hex digits' })
  replaces?: string | null;

  /** Accepted and ignored, so entries read from a log can be pushed as they are. */
  @IsOptional()
  @IsString()
  recordedAt?: string;

  @IsOptional()
  @IsString()
  itemURI?: string;
}

export class PushBody {
  @Matches(NODE_ID_PATTERN, { message: 'node must be the sending node id (1-32 of a-z 0-9 _ -)' })
  node: string;

  @IsOptional()
  @IsString()
  basis?: string;

  @IsArray({ message: 'entries must be an array' })
  @ValidateNested({ each: true })
  @Type(() => PushEntry)
  entries: PushEntry[];
}
