import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { DomainError } from '../common/domain-error';
import { contentProblem, sizeProblem } from '../core/json-data';

/**
 * A client's `data` checked like `checkedData` and fingerprinted like
 * `fingerprintOf(data, false)`, from one serialisation: the canonical JSON
 * differs from `JSON.stringify` only in key order, so it has the same size,
 * and `{"data":…,"deleted":false}` is already canonical around it.
 */
export function checkedContent(data: unknown, where: string): { data: Record<string, unknown>; fingerprint: string } {
  const problem = contentProblem(data);
  if (problem) throw new DomainError('INVALID_INPUT', `${where}${problem}`);
  const canonical = canonicalize(data) as string;
  const tooLarge = sizeProblem(Buffer.byteLength(canonical, 'utf8'));
  if (tooLarge) throw new DomainError('PAYLOAD_TOO_LARGE', `${where}${tooLarge}`);
  const fingerprint = createHash('sha1').update(`{"data":${canonical},"deleted":false}`, 'utf8').digest('hex');
  return { data: data as Record<string, unknown>, fingerprint };
}
