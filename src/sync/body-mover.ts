import { EntityManager } from 'typeorm';
import { ItemView, toItemView } from '../items/item.view';
import { ItemsRepository } from '../items/items.repository';
import { PeerAnswerTooLarge, PeerClient } from '../peers/peer-client';
import { MergePlan, PlannedConflict } from './merge-plan';
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

/** What settling one page did: versions the peer applied, versions applied here, losers kept. */
export interface Settled {
  pushed: number;
  pulled: number;
  conflicts: number;
}

export interface SettleOptions {
  /** The cursor of the peer's log that the plan was made from, sent with every push. */
  basis: string;
  /** Each entry's fingerprint and history from the peer's log page, to store with pulled versions. */
  history?: ReadonlyMap<string, { fingerprint: string; replaces: string | null }>;
  /** Saves the cursor, in the transaction of the last apply. */
  finish?: (tx: EntityManager) => Promise<void>;
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

  /**
   * Carries out one page's plan: both sides of each conflict are read first
   * (our push would replace the peer's loser, our pull our own), then our
   * winners are pushed and the peer's winners pulled and applied, keeping
   * the losers in the first transaction. With nothing to move, record or
   * finish, nothing is written: a no-op sync writes nothing.
   */
  async settle(plan: MergePlan, options: SettleOptions): Promise<Settled> {
    const records = await this.conflictRecords(plan.conflicts);
    const pushed = await this.push(plan.push, options.basis);
    const pulled = await this.pull(plan.pull, records, options);
    return { pushed, pulled, conflicts: records.length };
  }

  /** Sends this node's current versions of `ids`; returns how many the peer applied. */
  private async push(ids: string[], basis: string): Promise<number> {
    let applied = 0;
    for (const chunk of ids.length > 0 ? chunkBySize(ids, await this.sync.bodySizes(ids)) : []) {
      const versions = await this.items.findVersions(chunk);
      applied += (await this.client.push(basis, versions.map(pushEntryOf))).applied;
    }
    return applied;
  }

  /** Fetches, verifies and applies the peer's versions of `ids`, a chunk per transaction. */
  private async pull(ids: string[], records: ConflictRecord[], options: SettleOptions): Promise<number> {
    if (ids.length === 0 && records.length === 0 && !options.finish) return 0;
    const peer = this.client.peer.id;
    let pulled = 0;
    let unrecorded = records;
    let offset = 0;
    do {
      const chunk = ids.slice(offset, offset + this.fetchSize);
      offset += chunk.length;
      const versions = (await this.fetch(chunk)).map((item) => {
        const known = options.history?.get(item.id);
        return verifiedVersion(item, known?.fingerprint === item.fingerprint ? known.replaces : null, peer);
      });
      await this.items.transaction(async (tx) => {
        const outcomes = await this.items.applyVersions(tx, versions, peer, this.windowMs);
        pulled += [...outcomes.values()].filter((outcome) => outcome === 'applied').length;
        await this.sync.recordConflicts(tx, unrecorded);
        if (offset >= ids.length) await options.finish?.(tx);
      });
      unrecorded = [];
    } while (offset < ids.length);
    return pulled;
  }

  /** Both versions of each conflicting item, as they stand before anything moves. */
  private async conflictRecords(conflicts: PlannedConflict[]): Promise<ConflictRecord[]> {
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
    let answer: { items: ItemView[]; bytes: number };
    try {
      answer = await this.client.fetchItems(ids);
    } catch (error) {
      // Bodies heavier than one answer may carry (a peer that does not bound its batches): half at a time.
      if (!(error instanceof PeerAnswerTooLarge) || ids.length === 1) throw error;
      const half = Math.ceil(ids.length / 2);
      return [...(await this.fetch(ids.slice(0, half))), ...(await this.fetch(ids.slice(half)))];
    }
    const { items, bytes } = answer;
    const perItem = Math.max(1, bytes / Math.max(1, items.length));
    this.fetchSize = Math.max(1, Math.min(MAX_IDS, Math.floor(TARGET_BYTES / perItem)));
    return items;
  }
}
