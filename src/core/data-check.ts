import { DomainError } from '../common/domain-error';
import { storableCanonicalJson } from './canonical-json';
import { contentProblem, dataProblem, textSizeProblem } from './json-data';
import { MAX_DATA_BYTES } from './limits';

/**
 * `data` as a storable JSON object, or a DomainError saying why not: 413 when
 * it is over the size limit, 400 for anything else. `where` prefixes the message.
 */
export function checkedData(data: unknown, where = ''): Record<string, unknown> {
  const problem = dataProblem(data);
  if (!problem) return data as Record<string, unknown>;
  const tooLarge = typeof data === 'object' && data !== null && Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES;
  throw new DomainError(tooLarge ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT', `${where}${problem}`);
}

/**
 * `data` from another node, checked like `checkedData` and returned as its
 * canonical JSON: the one serialisation of the body, reused for the size
 * check, the fingerprint and the write, made by the same walk as the checks.
 */
export function canonicalCheckedData(data: unknown, where = ''): string {
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  const text = isObject ? storableCanonicalJson(data) : undefined;
  // Rare: walk again for the message.
  if (text === undefined)
    throw new DomainError('INVALID_INPUT', `${where}${contentProblem(data) ?? 'data is not a JSON object'}`);
  const size = textSizeProblem(text);
  if (size) throw new DomainError('PAYLOAD_TOO_LARGE', `${where}${size}`);
  return text;
}
