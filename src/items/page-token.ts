import { DomainError } from '../common/domain-error';
import { REFUSAL } from '../common/refusal';
import { isUuid } from '../common/validation';

/** The `next` token of `GET /items`: the last id of the page, opaque to clients. */
export function encodePageToken(lastId: string): string {
  return Buffer.from(`i:${lastId}`, 'utf8').toString('base64url');
}

export function decodePageToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const id = text.startsWith('i:') ? text.slice(2) : '';
  if (!isUuid(id)) {
    throw new DomainError('INVALID_CURSOR', `after "${token.slice(0, 64)}" is not a page token this node issued`, {
      reason: REFUSAL.badCursor,
    });
  }
  return id.toLowerCase();
}
