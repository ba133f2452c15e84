import { EntityManager } from 'typeorm';
import { ItemView, toItemView } from '../items/item.view';
import { ItemsRepository } from '../items/items.repository';
import { Version } from '../items/version';
import { PeerClient } from '../peers/peer-client';
import { PlannedConflict } from './merge-plan';
import { ConflictRecord, SyncRepository } from './sync.repository';
import { pushEntryOf, verifiedVersion } from './wire';

/** Requests and pushes stay well under the peer's 16 MiB body limit. */
const TARGET_BYTES = 4 * 1024 * 1024;
const MAX_IDS = 1000;
const FIRST_FETCH = 100;

/** Splits `ids` into runs of at most MAX_IDS whose bodies add up to about TARGET_BYTES. */
export function chunkBySize(ids: string[], sizes: ReadonlyMap<string, number>): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const id of ids) {
    const size = sizes.get(id) ?? 0;
    if (current.length > 0 && (current.length >= MAX_IDS || bytes + size > TARGET_BYTES)) {
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

export interface PulledCounts {
  pulled: number;
  conflicts: number;
}

/**
 * Moves item bodies between this node and one peer, in bulk and in chunks
 * sized by their bytes, so memory holds one chunk whatever the items weigh.
 */
export class BodyMover {
  private fetchSize = FIRST_FETCH;

  constructor(
    private readonly client: PeerClient,
    private readonly items: ItemsRepository,
    private readonly sync: SyncRepository,
    private readonly windowMs: number,
    private readonly publicUrl: string,
  ) {}

  /** Sends this node's current versions of `ids`; returns how many the peer applied. */
  async push(ids: string[], basis: string): Promise<number> {
    if (ids.length === 0) return 0;
    let applied = 0;
    for (const chunk of chunkBySize(ids, await this.sync.bodySizes(ids))) {
      const versions = await this.items.findVersions(chunk);
      applied += (await this.client.push(basis, versions.map(pushEntryOf))).applied;
    }
    return applied;
  }

  /**
   * Fetches the peer's bodies for `pull` (and for the losing side of each
   * conflict), applies them through the one write statement and keeps each
   * conflict's loser; `finish` (saving the cursor) runs in the transaction
   * of the last chunk. With nothing to fetch and nothing to finish, no
   * transaction is opened at all: a no-op sync writes nothing.
   */
  async pullAndApply(
    pull: string[],
    conflicts: PlannedConflict[],
    history: ReadonlyMap<string, { fingerprint: string; replaces: string | null }>,
    finish?: (tx: EntityManager) => Promise<void>,
  ): Promise<PulledCounts> {
    const counts: PulledCounts = { pulled: 0, conflicts: 0 };
    const pulling = new Set(pull);
    const ids = [...new Set([...pull, ...conflicts.map((c) => c.itemId)])];
    if (ids.length === 0 && !finish) return counts;
    const localLosers = new Map((await this.items.findVersions(conflicts.map((c) => c.itemId))).map((v) => [v.id, v]));
    let offset = 0;
    do {
      const chunk = ids.slice(offset, offset + this.fetchSize);
      offset += chunk.length;
      const fetched = await this.fetch(chunk);
      const versions = fetched.map((item) => {
        const known = history.get(item.id);
        return verifiedVersion(item, known?.fingerprint === item.fingerprint ? known.replaces : null, this.client.peer.id);
      });
      const records = this.conflictRecords(conflicts, fetched, localLosers);
      await this.items.transaction(async (tx) => {
        const outcomes = await this.items.applyVersions(tx, versions.filter((v) => pulling.has(v.id)), this.client.peer.id, this.windowMs);
        counts.pulled += [...outcomes.values()].filter((outcome) => outcome === 'applied').length;
        await this.sync.recordConflicts(tx, records);
        counts.conflicts += records.length;
        if (offset >= ids.length) await finish?.(tx);
      });
    } while (offset < ids.length);
    return counts;
  }

  /** Fetches one chunk and sizes the next one from the bytes this one weighed. */
  private async fetch(ids: string[]): Promise<ItemView[]> {
    if (ids.length === 0) return [];
    const { items, bytes } = await this.client.fetchItems(ids);
    const perItem = Math.max(1, bytes / Math.max(1, items.length));
    this.fetchSize = Math.max(1, Math.min(MAX_IDS, Math.floor(TARGET_BYTES / perItem)));
    return items;
  }

  private conflictRecords(
    conflicts: PlannedConflict[],
    fetched: ItemView[],
    local: ReadonlyMap<string, Version>,
  ): ConflictRecord[] {
    const remote = new Map(fetched.map((item) => [item.id, item]));
    return conflicts.flatMap(({ itemId, winner }) => {
      const theirs = remote.get(itemId);
      const mine = local.get(itemId);
      if (!theirs || !mine) return [];
      const ours = toItemView(mine, this.publicUrl);
      const peer = this.client.peer.id;
      return [winner === 'remote' ? { itemId, peer, winner: theirs, loser: ours } : { itemId, peer, winner: ours, loser: theirs }];
    });
  }
}
