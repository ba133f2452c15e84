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

/** Where the data starts and how much follows it in a live version's `contentDocument`. */
const DATA_START = contentDocument('', false).indexOf(':') + 1;
const AFTER_DATA = contentDocument('', false).length - DATA_START;

/**
 * The data text inside a live version's `contentDocument`: a slice that
 * shares the document's characters, so a body hashed through its document
 * is held in one flat string, not copied again.
 */
export function dataOfDocument(document: string): string {
  return document.slice(DATA_START, document.length - AFTER_DATA);
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
