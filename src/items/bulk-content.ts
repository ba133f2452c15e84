import { DomainError } from '../common/domain-error';
import { storableCanonicalJson } from '../core/canonical-json';
import { fingerprintOfCanonical } from '../core/fingerprint';
import { contentProblem, sizeProblem } from '../core/json-data';

/** A client's `data` as checked and fingerprinted content, with the canonical text it is stored from. */
export interface CheckedContent {
  data: Record<string, unknown>;
  fingerprint: string;
  /** `data` as canonical JSON: measured, fingerprinted and written, never serialised again. */
  dataText: string;
}

/**
 * A client's `data` checked like `checkedData` and fingerprinted like
 * `fingerprintOf(data, false)`, from one walk that checks and serialises: the
 * canonical JSON differs from `JSON.stringify` only in key order, so it has
 * the same size, and `{"data":…,"deleted":false}` is already canonical around it.
 */
export function checkedContent(data: unknown, where: string): CheckedContent {
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  const dataText = isObject ? storableCanonicalJson(data) : undefined;
  if (dataText === undefined) {
    // Rare: walk again for the message single writes give.
    throw new DomainError('INVALID_INPUT', `${where}${contentProblem(data) ?? 'data is not a JSON object'}`);
  }
  const tooLarge = sizeProblem(Buffer.byteLength(dataText, 'utf8'));
  if (tooLarge) throw new DomainError('PAYLOAD_TOO_LARGE', `${where}${tooLarge}`);
  return { data: data as Record<string, unknown>, fingerprint: fingerprintOfCanonical(dataText, false), dataText };
}
