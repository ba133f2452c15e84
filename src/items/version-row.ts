import type { Version } from '../core/version';

/** The columns of a stored version, as SQL returns them. */
export interface VersionRow {
  id: string;
  data: Record<string, unknown> | null;
  deleted: boolean;
  updated_ms: string;
  origin: string;
  priority: number;
  fingerprint: string;
  replaces: string | null;
}

export const VERSION_COLUMNS = 'id, data, deleted, updated_ms, origin, priority, fingerprint, replaces';
/** The same columns with `data` left out (null), for reads that compare keys only. */
export const KEY_COLUMNS = 'id, NULL::jsonb AS data, deleted, updated_ms, origin, priority, fingerprint, replaces';

export function versionFromRow(row: VersionRow): Version {
  return {
    id: row.id,
    data: row.data,
    deleted: row.deleted,
    updatedAtMs: Number(row.updated_ms),
    origin: row.origin,
    priority: row.priority,
    fingerprint: row.fingerprint,
    replaces: row.replaces,
  };
}
