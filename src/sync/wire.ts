import { DomainError } from '../common/domain-error';
import { IncomingVersion, checkedVersion } from '../core/incoming-version';
import type { ItemView } from '../items/item.view';
import { TextVersion } from '../items/text-version';
import type { StoredText } from '../items/items.repository';
import type { Version } from '../core/version';
import { LogEntryView, entryFieldsJson } from '../transactions/log-entry.view';
import { PeerError } from '../peers/peer-client';
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
 * A version a peer sent us, held to exactly the checks of a version pushed to
 * us. A live one keeps only its checked canonical text: what JSON.parse built
 * is left behind at once, so a page held while the one before it applies
 * holds each body once (see TextVersion).
 */
export function verifiedVersion(incoming: IncomingVersion, peer: string): Version {
  try {
    const version = checkedVersion(incoming, `item ${incoming.id} from ${peer}`);
    const { id, updatedAtMs, origin, priority, fingerprint, replaces, dataText } = version;
    return dataText === undefined ? version : new TextVersion(id, updatedAtMs, origin, priority, fingerprint, replaces, dataText);
  } catch (error) {
    if (error instanceof DomainError)
      throw new PeerError('rejected', `${peer} sent a version that cannot be applied: ${error.message}`);
    throw error;
  }
}

/**
 * Pushed entries (`PushEntryBody`) as JSON text, written directly like a log
 * page (see `logPageJson`): each body is spliced in as the database's own
 * JSON text, never parsed and serialised again on its way to the peer.
 */
export function pushEntriesJson(found: StoredText[]): string {
  const texts = found.map(({ version: v, dataText }) => {
    const replaces = v.replaces === null ? 'null' : `"${v.replaces}"`;
    return `{${entryFieldsJson(v)},"data":${dataText ?? 'null'},"replaces":${replaces}}`;
  });
  return `[${texts.join(',')}]`;
}
