import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/env';
import { ItemsRepository } from '../items/items.repository';
import { LogRepository } from '../transactions/log.repository';
import { LOG_START, LogPosition, decodeCursor, encodeCursor } from '../transactions/log-cursor';
import { NodeEpoch } from '../transactions/node-epoch.service';
import { PeerClient, PeerError } from '../peers/peer-client';
import { BodyMover, Settled } from './body-mover';
import { SyncProgress } from './sync-progress';
import { SyncRepository } from './sync.repository';
import { planMerge } from './merge-plan';
import { sideFromEntry, sideFromItem } from './wire';

/** One page of either log: as many entries as one push or one batch fetch may carry. */
export const PAGE_SIZE = 1000;

export type RoundTotals = Settled;

function addTo(totals: RoundTotals, settled: Settled): void {
  totals.pulled += settled.pulled;
  totals.pushed += settled.pushed;
  totals.conflicts += settled.conflicts;
}

/**
 * One sync round with one peer, as a plain loop: read the peer's log from the
 * saved cursor a page at a time and settle each page (pull what wins there,
 * push what wins here); then offer this node's own changes since its saved
 * cursor the same way. Each page's cursor is saved in the transaction that
 * applied the page, so a round that dies anywhere resumes from its last page
 * and redoes nothing twice. Memory holds one page, never the collection.
 */
@Injectable()
export class Reconciler {
  constructor(
    private readonly items: ItemsRepository,
    private readonly log: LogRepository,
    private readonly sync: SyncRepository,
    private readonly epoch: NodeEpoch,
    private readonly config: AppConfig,
  ) {}

  async round(client: PeerClient, totals: RoundTotals, progress: SyncProgress): Promise<void> {
    const peer = client.peer.id;
    const checkpoint = await this.sync.checkpoint(peer);
    const localSince = this.localPosition(checkpoint.localCursor);
    const mover = new BodyMover(client, this.items, this.sync, this.config.conflictWindowMs, this.config.publicUrl);
    const remoteCursor = await this.pullPhase(client, mover, checkpoint.remoteCursor ?? undefined, localSince, totals, progress);
    await this.pushPhase(client, mover, localSince, remoteCursor, totals, progress);
  }

  /** Settles every entry of the peer's log after `cursor`; returns where the log ended. */
  private async pullPhase(
    client: PeerClient,
    mover: BodyMover,
    cursor: string | undefined,
    localSince: LogPosition | undefined,
    totals: RoundTotals,
    progress: SyncProgress,
  ): Promise<string> {
    for (let first = true; ; first = false) {
      const page = await client.readLog(cursor, PAGE_SIZE, first);
      if (page.node !== client.peer.id) {
        throw new PeerError('rejected', `peer "${client.peer.id}" answers as node "${page.node}": check PEERS`);
      }
      // A page that promises more from where it started would be read again forever.
      if (page.hasMore && page.cursor === cursor) {
        throw new PeerError('rejected', `peer "${client.peer.id}" answered a log page with more to come but no new cursor`);
      }
      if (first) progress.begin('pull', page.entries.length + (page.remaining ?? 0));
      const remote = new Map(page.entries.map((entry) => [entry.itemId, sideFromEntry(entry)]));
      const ids = [...remote.keys()];
      const local = await this.sync.localSides(ids, localSince, client.peer.id);
      const plan = planMerge(ids, local, remote, this.config.conflictWindowMs);
      const history = new Map(page.entries.map((e) => [e.itemId, { fingerprint: e.fingerprint, replaces: e.replaces ?? null }]));
      const finish =
        page.cursor === cursor ? undefined : (tx: EntityManager) => this.sync.advance(tx, client.peer.id, 'remote', page.cursor);
      addTo(totals, await mover.settle(plan, { basis: page.cursor, history, finish }));
      progress.advance(page.entries.length);
      cursor = page.cursor;
      if (!page.hasMore) return page.cursor;
    }
  }

  /**
   * Offers this node's changes since its cursor for the peer, skipping what
   * came from that peer (no echo) and what the peer already holds (compared by
   * fingerprint before any body moves). `basis` is where the pull phase ended.
   */
  private async pushPhase(
    client: PeerClient,
    mover: BodyMover,
    since: LogPosition | undefined,
    basis: string,
    totals: RoundTotals,
    progress: SyncProgress,
  ): Promise<void> {
    const peer = client.peer.id;
    let position = since ?? LOG_START;
    let saved = since && encodeCursor(this.epoch.value, since);
    progress.begin('push', await this.log.countAfter(position, peer));
    for (;;) {
      const slice = await this.log.readAfter(position, PAGE_SIZE, { excludeSource: peer });
      const ids = slice.rows.map((row) => row.version.id);
      const remote = new Map((await client.fetchItems(ids, false)).items.map((item) => [item.id, sideFromItem(item)]));
      const local = await this.sync.localSides(ids, undefined, peer);
      const plan = planMerge(ids, local, remote, this.config.conflictWindowMs);
      const cursor = encodeCursor(this.epoch.value, slice.end);
      const finish = cursor === saved ? undefined : (tx: EntityManager) => this.sync.advance(tx, peer, 'local', cursor);
      addTo(totals, await mover.settle(plan, { basis, finish }));
      saved = cursor;
      progress.advance(slice.rows.length);
      position = slice.end;
      if (!slice.hasMore) return;
    }
  }

  /** A local cursor from before this node's database was restored counts as no cursor. */
  private localPosition(cursor: string | null): LogPosition | undefined {
    if (cursor === null) return undefined;
    try {
      return decodeCursor(cursor, this.epoch.value);
    } catch {
      return undefined;
    }
  }
}
