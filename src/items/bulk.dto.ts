import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/validation';
import { MAX_BULK_ENTRIES } from '../core/limits';

export { MAX_BULK_ENTRIES };

/** The entries of a `POST /items/bulk` body: `{"items": [...]}` and nothing else. */
export function bulkEntriesOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError('INVALID_INPUT', 'the body must be a JSON object {"items": [...]}');
  }
  const extra = Object.keys(body).find((key) => key !== 'items');
  if (extra !== undefined) throw new DomainError('INVALID_INPUT', `property ${extra.slice(0, 40)} should not exist`);
  const { items } = body as { items?: unknown };
  if (!Array.isArray(items)) throw new DomainError('INVALID_INPUT', 'items must be an array of entries');
  return items;
}

/** One well-formed entry: a create (no id given), a replace, or a delete. */
export interface BulkEntry {
  id: string;
  /** True when the client named no id: the entry creates an item, like `POST /items`. */
  create: boolean;
  data: unknown;
  deleted: boolean;
  ifMatch: string | undefined;
}

/** An entry ready to be decided: its data checked and kept only as canonical text (none on a delete). */
export interface CheckedEntry extends Omit<BulkEntry, 'data'> {
  content?: { fingerprint: string; dataText: string };
}

/** What became of one entry, in the order of the request. */
export interface BulkResult {
  id: string | null;
  status: number;
  fingerprint?: string;
  message?: string;
}

const FIELDS = new Set(['id', 'data', 'deleted', 'ifMatch']);

function invalid(id: unknown, message: string): BulkResult {
  return { id: typeof id === 'string' ? id : null, status: 400, message };
}

/**
 * An entry as sent, checked for shape (its `data` is checked later, by the
 * same code as single writes); a 400 result names the problem. `newId` is
 * the id a create gets.
 */
export function parseBulkEntry(raw: unknown, index: number, newId: () => string): BulkEntry | BulkResult {
  const where = `items[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalid(null, `${where} must be an object`);
  const entry = raw as Record<string, unknown>;
  const unknown = Object.keys(entry).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) return invalid(entry.id, `${where} has unknown field "${unknown.slice(0, 40)}"`);
  const { id, deleted, ifMatch } = entry;
  // A tombstone's shape (`data: null, deleted: true`) is a delete too.
  const data = deleted === true && entry.data === null ? undefined : entry.data;
  if (id !== undefined && !isUuid(id)) return invalid(id, `${where}.id must be a UUID`);
  if (deleted !== undefined && typeof deleted !== 'boolean') return invalid(id, `${where}.deleted must be true or false`);
  if (ifMatch !== undefined && typeof ifMatch !== 'string') return invalid(id, `${where}.ifMatch must be a string`);
  if (deleted === true && data !== undefined) return invalid(id, `${where} carries both data and deleted: true`);
  if (deleted !== true && data === undefined) return invalid(id, `${where} needs data, or deleted: true`);
  if (id === undefined && deleted === true) return invalid(id, `${where} deletes but names no id`);
  if (id === undefined && ifMatch !== undefined) return invalid(id, `${where} has ifMatch but names no id`);
  return {
    id: id === undefined ? newId() : (id as string).toLowerCase(),
    create: id === undefined,
    data,
    deleted: deleted === true,
    ifMatch: ifMatch as string | undefined,
  };
}
