import { MAX_ENTRIES_PER_PUSH, MAX_IDS_PER_BATCH, TARGET_REQUEST_BYTES } from '../core/limits';
import type { Version } from '../core/version';
import type { ItemView } from '../items/item.view';
import { ItemsRepository } from '../items/items.repository';
import { PeerAnswerTooLarge, PeerClient, PeerError } from '../peers/peer-client';
import type { ConcurrentEdit } from './conflicts.repository';
import { Pulled, viewOf } from './remote-page';
import { pushEntriesJson, verifiedVersion } from './wire';

/** An entry's fingerprint and history as the peer's log page gave them. */
export interface History {
  fingerprint: string;
  replaces: string | null;
}

/**
 * Bodies asked for in the first fetch of a round, before their weight is
 * known: a whole batch, as the peer bounds its answer by bytes and lists what
 * it left out (MAX_ANSWER_DATA_BYTES); later fetches are sized by weight.
 */
const FIRST_FETCH = MAX_IDS_PER_BATCH;

/** Verified versions from the peer; the last chunk of a page is the one its cursor is saved with. */
export interface PulledChunk {
  pulled: Pulled[];
  last: boolean;
  /** Versions left out: stamped more than MAX_FUTURE_MS ahead of this node's clock. */
  refused: number;
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
    /** Why a pulled version is stamped too far ahead to take, or undefined. */
    readonly tooFarAhead: (version: Pick<Version, 'updatedAtMs'>) => string | undefined = () => undefined,
  ) {}

  get peer(): string {
    return this.client.peer.id;
  }

  /**
   * Sends this node's current versions of `ids`, at most about
   * TARGET_REQUEST_BYTES of bodies a request (bounded where they are read),
   * each body passed on as the database's JSON text; returns how many the peer applied.
   */
  async push(ids: string[], basis: string): Promise<number> {
    let applied = 0;
    for (let wanted = ids; wanted.length > 0;) {
      const chunk = wanted.slice(0, MAX_ENTRIES_PER_PUSH);
      const { found, missing } = await this.items.findTextsWithin(chunk, TARGET_REQUEST_BYTES);
      if (found.length > 0) applied += (await this.client.push(basis, pushEntriesJson(found))).applied;
      wanted = [...missing, ...wanted.slice(chunk.length)];
    }
    return applied;
  }

  /**
   * The peer's verified versions of `ids` a chunk at a time, the next chunk
   * fetched only once the caller is done with this one; taken from `bodies`
   * when the log page brought them. Yields at least one chunk, empty when
   * `ids` is. Versions stamped too far ahead are left out and counted.
   */
  async *pull(
    ids: string[],
    history: ReadonlyMap<string, History>,
    bodies?: ReadonlyMap<string, Pulled>,
  ): AsyncGenerator<PulledChunk> {
    for await (const chunk of this.verifiedChunks(ids, history, bodies)) {
      const pulled = chunk.pulled.filter((p) => !this.tooFarAhead(p.version));
      yield { pulled, last: chunk.last, refused: chunk.pulled.length - pulled.length };
    }
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
    for await (const chunk of this.verifiedChunks(ids, history, bodies)) {
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

  private async *verifiedChunks(ids: string[], history: ReadonlyMap<string, History>, bodies?: ReadonlyMap<string, Pulled>) {
    if (bodies) {
      yield { pulled: ids.flatMap((id) => bodies.get(id) ?? []), last: true };
      return;
    }
    let offset = 0;
    do {
      const chunk = ids.slice(offset, offset + this.fetchSize);
      offset += chunk.length;
      const pulled = (chunk.length > 0 ? await this.fetch(chunk) : []).map((item) => this.verified(item, history));
      yield { pulled, last: offset >= ids.length };
    } while (offset < ids.length);
  }

  private verified(item: ItemView, history: ReadonlyMap<string, History>): Pulled {
    const known = history.get(item.id);
    const { id, updatedAt, fingerprint, deleted, origin, priority, data } = item;
    const replaces = known?.fingerprint === fingerprint ? known.replaces : null;
    return {
      version: verifiedVersion({ id, updatedAt, fingerprint, deleted, origin, priority, data, replaces }, this.peer),
      uri: item.uri,
    };
  }

  /**
   * Fetches one chunk, asking again for what the peer left out to bound its
   * answer, and sizes the next chunk from the bytes this one weighed.
   */
  private async fetch(ids: string[]): Promise<ItemView[]> {
    const items: ItemView[] = [];
    for (let wanted = ids; wanted.length > 0;) {
      let answer: { items: ItemView[]; missing: string[]; bytes: number };
      try {
        answer = await this.client.fetchItems(wanted);
      } catch (error) {
        // Bodies heavier than one answer may carry (a peer that does not bound its batches): half at a time.
        if (!(error instanceof PeerAnswerTooLarge) || wanted.length === 1) throw error;
        const half = Math.ceil(wanted.length / 2);
        return [...items, ...(await this.fetch(wanted.slice(0, half))), ...(await this.fetch(wanted.slice(half)))];
      }
      if (answer.missing.length >= wanted.length)
        throw new PeerError('rejected', `peer ${this.client.peer.id} answered a batch with no item`);
      items.push(...answer.items);
      const perItem = Math.max(1, answer.bytes / Math.max(1, answer.items.length));
      this.fetchSize = Math.max(1, Math.min(MAX_IDS_PER_BATCH, Math.floor(TARGET_REQUEST_BYTES / perItem)));
      wanted = answer.missing;
    }
    return items;
  }
}
