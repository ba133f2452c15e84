/** Every failure a service can report. The filter maps each to exactly one HTTP status. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_CURSOR'
  | 'FOREIGN_CURSOR'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'GONE'
  | 'ALREADY_EXISTS'
  | 'PUSH_CONFLICT'
  | 'PRECONDITION_FAILED'
  /** The action does not fit the resource's state (a conflict record already closed). */
  | 'WRONG_STATE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TIME_EXHAUSTED'
  | 'UNKNOWN_PEER'
  | 'UNAVAILABLE';

import type { Refusal } from './refusal';

/**
 * A domain failure, thrown by services and the reconciler alike; it knows
 * nothing of HTTP. `body` replaces the error shape where API.md says so (the
 * tombstone on 410), `details` adds fields to it (the conflicting ids on 409)
 * and `reason` says why a request was refused, as the body's `reason` field.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { body?: unknown; details?: Record<string, unknown>; reason?: Refusal } = {},
  ) {
    super(message);
  }
}
