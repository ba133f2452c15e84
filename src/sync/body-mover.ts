import { MAX_IDS_PER_BATCH, TARGET_REQUEST_BYTES } from '../core/limits';
import type { Version } from '../core/version';
import { ItemView, toItemView } from '../items/item.view';
import { ItemsRepository } from '../items/items.repository';
import { PeerClient } from '../peers/peer-client';
import type { ConflictRecord } from './conflicts.repository';
import { PlannedConflict } from './merge-plan';
import { pushEntryOf, verifiedVersion } from './wire';

/** An entry's fingerprint and history as the peer's log page gave them. */
export interface History {
  fingerprint: string;
  replaces: string | null;
}

/** Bodies asked for in the first fetch of a round, before their weight is known. */
const FIRST_FETCH = 100;

/** Splits `ids` into runs of at most MAX_IDS_PER_BATCH whose bodies add up to about TARGET_REQUEST_BYTES. */
export function chunkBySize(ids: string[], sizes: ReadonlyMap<string, number>): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const id of ids) {
    const size = sizes.get(id) ?? 0;
    if (current.length > 0 && (current.length >= MAX_IDS_PER_BATCH || bytes + size > TARGET_REQUEST_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(id);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface PulledChunk {
  /** Verified versions from the peer, to apply here. */
  versions: Version[];
  /** Whether this is the last chunk of the page: the one the cursor is saved with. */
  last: boolean;
}

/**
 * Moves item bodies between this node and one peer, in bulk and in chunks
 * sized by their bytes, so memory holds one chunk whatever the items weigh.
 * It writes nothing here: the reconciler applies what it pulls.
 */
export class BodyMover {
  private fetchSize = FIRST_FETCH;

  constructor(
    private readonly client: PeerClient,
    private readonly items: ItemsRepository,
    private readonly publicUrl: string,
  ) {}

  get peer(): string {
    return this.client.peer.id;
  }

  /** Sends this node's current versions of `ids`; returns how many the peer applied. */
  async push(ids: string[], basis: string): Promise<number> {
    let applied = 0;
    for (const chunk of ids.length > 0 ? chunkBySize(ids, await this.items.bodySizes(ids)) : []) {
      const versions = await this.items.findVersions(chunk);
      applied += (await this.client.push(basis, versions.map(pushEntryOf))).applied;
    }
    return applied;
  }

  /**
   * Fetches and verifies the peer's versions of `ids` a chunk at a time, the
   * next chunk only once the caller is done with this one. Yields at least
   * one chunk, empty when `ids` is. `history` holds each entry's fingerprint
   * and history from the peer's log page, stored with the pulled versions.
   */
  async *pull(ids: string[], history?: ReadonlyMap<string, History>): AsyncGenerator<PulledChunk> {
    const peer = this.client.peer.id;
    let offset = 0;
    do {
      const chunk = ids.slice(offset, offset + this.fetchSize);
      offset += chunk.length;
      const versions = (await this.fetch(chunk)).map((item) => {
        const known = history?.get(item.id);
        return verifiedVersion(item, known?.fingerprint === item.fingerprint ? known.replaces : null, peer);
      });
      yield { versions, last: offset >= ids.length };
    } while (offset < ids.length);
  }

/** Both versions of each conflicting item, as they stand before anything moves. */
  async conflictRecords(conflicts: PlannedConflict[]): Promise<ConflictRecord[]> {
    if (conflicts.length === 0) return [];
    const ids = conflicts.map((conflict) => conflict.itemId);
    const ours = new Map((await this.items.findVersions(ids)).map((v) => [v.id, toItemView(v, this.publicUrl)]));
    const theirs = new Map<string, ItemView>();
    for (let offset = 0; offset < ids.length; ) {
      const chunk = ids.slice(offset, offset + this.fetchSize);
      offset += chunk.length;
      for (const item of await this.fetch(chunk)) theirs.set(item.id, item);
    }
    const peer = this.client.peer.id;
    return conflicts.flatMap(({ itemId, winner }) => {
      const [mine, other] = [ours.get(itemId), theirs.get(itemId)];
      if (!mine || !other) return [];
      return [winner === 'remote' ? { itemId, peer, winner: other, loser: mine } : { itemId, peer, winner: mine, loser: other }];
    });
  }

  /** Fetches one chunk and sizes the next one from the bytes this one weighed. */
  private async fetch(ids: string[]): Promise<ItemView[]> {
    if (ids.length === 0) return [];
    const { items, bytes } = await this.client.fetchItems(ids);
    const perItem = Math.max(1, bytes / Math.max(1, items.length));
    this.fetchSize = Math.max(1, Math.min(MAX_IDS_PER_BATCH, Math.floor(TARGET_REQUEST_BYTES / perItem)));
    return items;
  }
}
