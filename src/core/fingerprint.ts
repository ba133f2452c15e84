import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The content fingerprint every node computes the same way: lowercase hex
 * SHA-1 of the RFC 8785 canonical JSON of `{"data": …, "deleted": …}`.
 */
export function fingerprintOf(data: object | null, deleted: boolean): string {
  const canonical = canonicalize({ data, deleted });
  if (canonical === undefined) throw new Error('content has no canonical JSON form');
  return createHash('sha1').update(canonical, 'utf8').digest('hex');
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{40}$/;
