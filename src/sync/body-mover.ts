import { MAX_IDS_PER_BATCH, TARGET_REQUEST_BYTES } from '../core/limits';
import type { ItemView } from '../items/item.view';
import { ItemsRepository } from '../items/items.repository';
import { PeerClient, PeerError } from '../peers/peer-client';
import type { ConcurrentEdit } from './conflicts.repository';
import { Pulled, viewOf } from './remote-page';
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

/** Verified versions from the peer; the last chunk of a page is the one its cursor is saved with. */
export interface PulledChunk {
  pulled: Pulled[];
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
   * The peer's verified versions of `ids` a chunk at a time, the next chunk
   * fetched only once the caller is done with this one; taken from `bodies`
   * when the log page brought them. Yields at least one chunk, empty when
   * `ids` is. Ids the peer leaves for another call (`missing`) are asked again.
   */
  async *pull(
    ids: string[],
    history: ReadonlyMap<string, History>,
    bodies?: ReadonlyMap<string, Pulled>,
  ): AsyncGenerator<PulledChunk> {
    if (bodies) {
      yield { pulled: ids.flatMap((id) => bodies.get(id) ?? []), last: true };
      return;
    }
    const queue = [...ids];
    do {
      const chunk = queue.splice(0, this.fetchSize);
      const { items, missing } = await this.fetch(chunk);
      if (chunk.length > 0 && items.length === 0)
        throw new PeerError('unavailable', `${this.peer} answered none of ${chunk.length} item(s)`);
      queue.push(...missing);
      yield { pulled: items.map((item) => this.verified(item, history)), last: queue.length === 0 };
    } while (queue.length > 0);
  }

  /**
   * The peer's versions of the items our push is about to replace, as the
   * plan saw them (`history`), to record as losers to ours: one changed since
   * means the peer took a write after its page was read; the round starts again.
   */
  async losers(
    ids: string[],
    history: ReadonlyMap<string, History>,
    bodies?: ReadonlyMap<string, Pulled>,
  ): Promise<ConcurrentEdit[]> {
    const found: ConcurrentEdit[] = [];
    for await (const chunk of this.pull(ids, history, bodies)) {
      for (const pulled of chunk.pulled) {
        const { id, fingerprint } = pulled.version;
        if (fingerprint !== history.get(id)?.fingerprint) {
          throw new PeerError('push-conflict', `item ${id} changed on ${this.peer} after its log was read`, 409, [id]);
        }
        found.push({ itemId: id, localWins: true, remote: viewOf(pulled) });
      }
    }
    return found;
  }

  private verified(item: ItemView, history: ReadonlyMap<string, History>): Pulled {
    const known = history.get(item.id);
    return {
      version: verifiedVersion(item, known?.fingerprint === item.fingerprint ? known.replaces : null, this.peer),
      uri: item.uri,
    };
  }

  /** Fetches one chunk and sizes the next one from the bytes this one weighed. */
  private async fetch(ids: string[]): Promise<{ items: ItemView[]; missing: string[] }> {
    if (ids.length === 0) return { items: [], missing: [] };
    const { items, bytes, missing } = await this.client.fetchItems(ids);
    const perItem = Math.max(1, bytes / Math.max(1, items.length));
    this.fetchSize = Math.max(1, Math.min(MAX_IDS_PER_BATCH, Math.floor(TARGET_REQUEST_BYTES / perItem)));
    return { items, missing };
  }
}
