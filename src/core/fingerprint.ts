import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * The content fingerprint every node computes the same way: lowercase hex
 * SHA-1 of the RFC 8785 canonical JSON of `{"data": …, "deleted": …}`.
 */
export function fingerprintOf(data: object | null, deleted: boolean): string {
  return fingerprintOfCanonical(data === null ? null : canonicalData(data), deleted);
}

/** The RFC 8785 canonical JSON of a `data` object. */
export function canonicalData(data: object): string {
  const canonical = canonicalJson(data);
  if (canonical === undefined) throw new Error('content has no canonical JSON form');
  return canonical;
}

/**
 * The canonical JSON of `{"data", "deleted"}` from `data` already in
 * canonical form: the two members in this order ("data" sorts before
 * "deleted"), so a body is serialised once and that text reused.
 */
export function contentDocument(dataText: string | null, deleted: boolean): string {
  return `{"data":${dataText ?? 'null'},"deleted":${deleted}}`;
}

/** The fingerprint of a `contentDocument`. */
export function fingerprintOfDocument(document: string): string {
  return hash('sha1', document, 'hex');
}

/** The fingerprint from `data` already in canonical form. */
export function fingerprintOfCanonical(dataText: string | null, deleted: boolean): string {
  return fingerprintOfDocument(contentDocument(dataText, deleted));
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{40}$/;
