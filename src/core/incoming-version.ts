import { canonicalCheckedData } from './data-check';
import { DomainError } from '../common/domain-error';
import { FINGERPRINT_PATTERN, contentDocument, dataOfDocument, fingerprintOfDocument } from './fingerprint';
import { isUuid, parseIsoUtc } from '../common/validation';
import { NODE_ID_PATTERN } from '../config/env';
import { Version } from './version';
import { MAX_TIME_MS } from './limits';

const INT32 = 2 ** 31;

/** A version as another node hands it over: pushed to us, or fetched by us. */
export interface IncomingVersion {
  id: string;
  updatedAt: string;
  fingerprint: string;
  deleted: boolean;
  origin: string;
  priority: number;
  data?: unknown;
  replaces?: string | null;
}

function fail(where: string, problem: string): never {
  throw new DomainError('INVALID_INPUT', `${where}: ${problem}`);
}

/**
 * The one check for every version that arrives from another node, whichever
 * way it came: it must be exactly what it claims (its fingerprint matches its
 * content) and storable as it is. `where` names it in the message.
 */
export function checkedVersion(incoming: IncomingVersion, where: string): Version {
  if (!isUuid(incoming.id)) fail(where, 'id is not a UUID');
  if (!NODE_ID_PATTERN.test(String(incoming.origin))) fail(where, `origin "${incoming.origin}" is not a node id`);
  const { priority } = incoming;
  if (!Number.isInteger(priority) || priority < -INT32 || priority >= INT32) fail(where, 'priority is not a 32-bit integer');
  const replaces = incoming.replaces ?? null;
  if (replaces !== null && !FINGERPRINT_PATTERN.test(replaces)) fail(where, 'replaces is not a fingerprint');
  const updatedAtMs = parseIsoUtc(incoming.updatedAt);
  if (!Number.isFinite(updatedAtMs) || updatedAtMs < 0 || updatedAtMs > MAX_TIME_MS) {
    fail(where, `updatedAt ${incoming.updatedAt} is not a time between 1970 and 9999`);
  }
  const data = incoming.data ?? null;
  if (incoming.deleted && data !== null) fail(where, 'a tombstone carries data null');
  const dataText = incoming.deleted ? null : canonicalCheckedData(data, `${where}: `);
  const document = contentDocument(dataText, incoming.deleted);
  const fingerprint = fingerprintOfDocument(document);
  if (fingerprint !== incoming.fingerprint) {
    fail(where, `fingerprint ${incoming.fingerprint} does not match its content (${fingerprint})`);
  }
  return {
    id: incoming.id.toLowerCase(),
    data: data as Version['data'],
    deleted: incoming.deleted,
    updatedAtMs,
    origin: incoming.origin,
    priority: incoming.priority,
    fingerprint,
    replaces,
    ...(dataText === null ? {} : { dataText: dataOfDocument(document) }),
  };
}
