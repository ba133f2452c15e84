import { dataProblem } from '../common/json-data';
import { fingerprintOf } from '../common/fingerprint';
import type { ItemView } from '../items/item.view';
import type { Version } from '../items/version';
import { LogEntryView, entryFields } from '../transactions/log-entry.view';
import { PeerError, PushEntryBody } from '../peers/peer-client';
import type { SideVersion } from './merge-plan';

/** A peer's log entry as the plan sees it: the peer changed it since our last read. */
export function sideFromEntry(entry: LogEntryView): SideVersion {
  return {
    id: entry.itemId,
    deleted: entry.deleted,
    updatedAtMs: Date.parse(entry.updatedAt),
    origin: entry.origin,
    priority: entry.priority,
    fingerprint: entry.fingerprint,
    replaces: entry.replaces ?? null,
    changedSinceSync: true,
  };
}

/** A peer's current version fetched by id, for a change of ours it may already have. */
export function sideFromItem(item: ItemView): SideVersion {
  return { ...versionKeyOf(item), id: item.id, deleted: item.deleted, replaces: null, changedSinceSync: false };
}

function versionKeyOf(item: ItemView) {
  return { updatedAtMs: Date.parse(item.updatedAt), origin: item.origin, priority: item.priority, fingerprint: item.fingerprint };
}

/**
 * A version a peer sent, checked exactly as a pushed one is: a body that does
 * not match its fingerprint, or that PostgreSQL could not hold, is refused.
 */
export function verifiedVersion(item: ItemView, replaces: string | null, peer: string): Version {
  const data = item.deleted ? null : item.data;
  const problem = item.deleted ? (item.data === null ? undefined : 'a tombstone with data') : dataProblem(data);
  const key = versionKeyOf(item);
  if (problem || !Number.isFinite(key.updatedAtMs)) {
    throw new PeerError('rejected', `${peer} sent item ${item.id} that cannot be stored: ${problem ?? 'bad updatedAt'}`);
  }
  if (fingerprintOf(data, item.deleted) !== item.fingerprint) {
    throw new PeerError('rejected', `${peer} sent item ${item.id} whose fingerprint does not match its content`);
  }
  return { id: item.id, data, deleted: item.deleted, ...key, replaces };
}

export function pushEntryOf(version: Version): PushEntryBody {
  return { ...entryFields(version), data: version.data, replaces: version.replaces };
}
