import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ISO_UTC_PATTERN } from '../common/validation';
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
