import type { IncomingVersion } from '../core/incoming-version';
import type { Version } from '../core/version';
import type { ItemView } from '../items/item.view';
import type { LogEntryView, LogPage } from '../transactions/log-entry.view';
import { PeerClient, PeerError } from '../peers/peer-client';
import type { BodyMode } from './body-mode';
import { verifiedVersion } from './wire';

/** A verified version from the peer, and its address there (for conflict records). */
export interface Pulled {
  version: Version;
  uri: string;
}

/** A page of the peer's log; with `bodies` when it was read with them, each one verified. */
export interface RemotePage {
  page: LogPage;
  bodies?: Map<string, Pulled>;
}

/** A pulled version in the item shape of API.md, as conflict records keep it. */
export function viewOf({ version, uri }: Pulled): ItemView {
  const { id, data, deleted, updatedAtMs, origin, priority, fingerprint } = version;
  return { id, data, deleted, updatedAt: new Date(updatedAtMs).toISOString(), origin, priority, fingerprint, uri };
}

/** A log entry with its body as a version to verify, so pulled bodies are checked by one function whichever way they came. */
function incomingOf(entry: LogEntryView): IncomingVersion {
  const { itemId, updatedAt, fingerprint, deleted, origin, priority } = entry;
  return { id: itemId, updatedAt, fingerprint, deleted, origin, priority, data: entry.data, replaces: entry.replaces ?? null };
}

/**
 * Reads one page of the peer's log after `cursor` and, when it carries
 * bodies, verifies every one (fingerprint against content) before handing
 * the page on: a page read ahead is verified while the one before applies.
 */
export async function readRemotePage(
  client: PeerClient,
  cursor: string | undefined,
  limit: number,
  options: { mode: BodyMode; remaining?: boolean; signal?: AbortSignal },
): Promise<RemotePage> {
  const data = options.mode === 'data';
  const page = await client.readLog(cursor, limit, { data, remaining: options.remaining, signal: options.signal });
  const peer = client.peer.id;
  if (page.node !== peer) throw new PeerError('rejected', `peer "${peer}" answers as node "${page.node}": check PEERS`);
  // A page that promises more from where it started would be read again forever.
  if (page.hasMore && page.cursor === cursor)
    throw new PeerError('rejected', `peer "${peer}" answered a log page with more to come but no new cursor`);
  if (!data) return { page };
  const bodies = new Map<string, Pulled>();
  for (const entry of page.entries) {
    if (entry.data === undefined) throw new PeerError('rejected', `${peer} left out the body of item ${entry.itemId}`);
    bodies.set(entry.itemId, { version: verifiedVersion(incomingOf(entry), peer), uri: entry.itemURI });
    delete entry.data;
  }
  return { page, bodies };
}
