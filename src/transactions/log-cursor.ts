import { DomainError } from '../common/domain-error';
import { REFUSAL } from '../common/refusal';
import type { LogPosition } from '../core/log-position';

/** Positions are PostgreSQL bigints; a larger number was never issued. */
const MAX_BIGINT = 2n ** 63n - 1n;
const CURSOR_PATTERN = /^v1\.([0-9a-f-]{36})\.(\d{1,19})\.(\d{1,19})$/;

/**
 * Cursors carry the epoch of the database that issued them, so a cursor from
 * another node, or from before this node's database was reset or restored,
 * is refused rather than silently skipping entries.
 */
export function encodeCursor(epoch: string, position: LogPosition): string {
  return Buffer.from(`v1.${epoch}.${position.xid}.${position.seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, epoch: string, name = 'cursor'): LogPosition {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || BigInt(match[2]) > MAX_BIGINT || BigInt(match[3]) > MAX_BIGINT) {
    throw new DomainError('INVALID_CURSOR', `${name} is not a cursor of this node's log`, { reason: REFUSAL.badCursor });
  }
  if (match[1] !== epoch) {
    throw new DomainError(
      'FOREIGN_CURSOR',
      `${name} was issued by another node or before this node's database was reset; read from the start`,
      { reason: REFUSAL.foreignCursor },
    );
  }
  return { xid: match[2], seq: match[3] };
}
