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

/**
 * Which versions are echoes of a peer: those received from it, unless written
 * before its echo floor (the transaction that started over with it after its
 * database was reset), which it may no longer hold.
 */
export interface EchoFilter {
  peer: string;
  floor: string | null;
}

/** Not an echo of peer `$4` with echo floor `$5`. */
export const NOT_ECHO = `(source IS DISTINCT FROM $4::text OR pos_xid < $5::bigint)`;

/** A stored version without its body, and whether it changed since the last sync with a peer. */
export type LocalSide = Omit<Version, 'data'> & { changedSinceSync: boolean };

/** A stored version (its `data` left null) with its data as the database's JSON text, to pass on without parsing. */
export interface StoredText {
  version: Version;
  dataText: string | null;
}
