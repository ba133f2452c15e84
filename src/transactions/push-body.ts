import { DomainError } from '../common/domain-error';
import { ISO_UTC_PATTERN, isUuid } from '../common/validation';
import { NODE_ID_PATTERN } from '../config/env';
import { FINGERPRINT_PATTERN } from '../core/fingerprint';
import type { IncomingVersion } from '../core/incoming-version';

/** One version as a peer pushes it (named by `itemId`); `data` is the very object the body parser built. */
export type PushEntry = Omit<IncomingVersion, 'id'> & { itemId: string };

/** `PUT /items/transactions`. */
export interface PushBody {
  node: string;
  basis?: string;
  entries: PushEntry[];
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown) => value === undefined || value === null;
const NODE_ID = 'must be the sending node id (1-32 of a-z 0-9 _ -)';
const HEX40 = 'must be 40 lowercase hex digits';
const INT32 = 2 ** 31;

/** What each field of an entry must be, or the complaint; `recordedAt` and `itemURI` are accepted and ignored. */
const ENTRY_FIELDS: Record<string, (value: unknown) => string | undefined> = {
  itemId: (v) => (isUuid(v) ? undefined : 'must be a UUID'),
  updatedAt: (v) =>
    typeof v === 'string' && ISO_UTC_PATTERN.test(v) ? undefined : 'must be an ISO-8601 UTC time with milliseconds',
  fingerprint: (v) => (typeof v === 'string' && FINGERPRINT_PATTERN.test(v) ? undefined : HEX40),
  deleted: (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean value'),
  origin: (v) => (typeof v === 'string' && NODE_ID_PATTERN.test(v) ? undefined : 'must be a node id (1-32 of a-z 0-9 _ -)'),
  priority: (v) =>
    !Number.isInteger(v)
      ? 'must be an integer number'
      : (v as number) < -INT32
        ? `must not be less than ${-INT32}`
        : (v as number) >= INT32
          ? `must not be greater than ${INT32 - 1}`
          : undefined,
  data: () => undefined,
  replaces: (v) => (absent(v) || (typeof v === 'string' && FINGERPRINT_PATTERN.test(v)) ? undefined : HEX40),
  recordedAt: (v) => (absent(v) || typeof v === 'string' ? undefined : 'must be a string'),
  itemURI: (v) => (absent(v) || typeof v === 'string' ? undefined : 'must be a string'),
};
const OPTIONAL = new Set(['data', 'replaces', 'recordedAt', 'itemURI']);

function entryProblems(entry: unknown, path: string, problems: string[]): void {
  if (!isFields(entry)) {
    problems.push(`${path} must be an object`);
    return;
  }
  for (const key of Object.keys(entry)) if (!(key in ENTRY_FIELDS)) problems.push(`${path}.property ${key} should not exist`);
  for (const [key, check] of Object.entries(ENTRY_FIELDS)) {
    if (OPTIONAL.has(key) && absent(entry[key])) continue;
    const problem = check(entry[key]);
    if (problem) problems.push(`${path}.${key} ${problem}`);
  }
}

function envelopeProblems(body: Fields, problems: string[]): void {
  for (const key of Object.keys(body))
    if (key !== 'node' && key !== 'basis' && key !== 'entries') problems.push(`property ${key} should not exist`);
  if (typeof body.node !== 'string' || !NODE_ID_PATTERN.test(body.node)) problems.push(`node ${NODE_ID}`);
  if (!absent(body.basis) && typeof body.basis !== 'string') problems.push('basis must be a string');
  if (!Array.isArray(body.entries)) problems.push('entries must be an array');
}

/**
 * A pushed batch checked field by field, every problem named with its path
 * (`entries.3.origin must be …`), all of them in one 400. Written out rather
 * than declared as a validated class: a push carries up to 1000 entries and
 * the generic validator spent more time on them than the write itself.
 * What a version must be beyond its shape (its fingerprint against its data,
 * its time in range) is checked afterwards by `checkedVersion`.
 */
export function parsePushBody(body: unknown): PushBody {
  if (!isFields(body)) throw new DomainError('INVALID_INPUT', 'the body must be a JSON object');
  const problems: string[] = [];
  envelopeProblems(body, problems);
  const entries = Array.isArray(body.entries) ? (body.entries as unknown[]) : [];
  entries.forEach((entry, i) => entryProblems(entry, `entries.${i}`, problems));
  if (problems.length > 0) throw new DomainError('INVALID_INPUT', problems.join('; '));
  return {
    node: body.node as string,
    basis: absent(body.basis) ? undefined : (body.basis as string),
    entries: (entries as Fields[]).map((e) => ({
      itemId: (e.itemId as string).toLowerCase(),
      updatedAt: e.updatedAt as string,
      fingerprint: e.fingerprint as string,
      deleted: e.deleted as boolean,
      origin: e.origin as string,
      priority: e.priority as number,
      data: e.data,
      replaces: (e.replaces ?? null) as string | null,
    })),
  };
}
