import { Injectable } from '@nestjs/common';
import { SYNC_PAGE_SIZE } from '../core/limits';
import { LOG_START, LogPosition } from '../core/log-position';
import { AppConfig } from '../config/env';
import { ItemsRepository } from '../items/items.repository';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { PeerClient, PeerError } from '../peers/peer-client';
import { LogRepository } from '../transactions/log.repository';
import { decodeCursor, encodeCursor } from '../transactions/log-cursor';
import { NodeEpoch } from '../transactions/node-epoch.service';
import { BodyMover, History } from './body-mover';
import { ConflictsRepository } from './conflicts.repository';
import { MergePlan, planMerge } from './merge-plan';
import { SyncProgress } from './sync-progress';
import { sideFromEntry, sideFromItem } from './wire';

/** What a round did so far: versions the peer applied, versions applied here, losers kept. */
export interface RoundTotals {
  pushed: number;
  pulled: number;
  conflicts: number;
}

/** One page to settle: the peer's cursor every push carries, and the cursor to save with the page. */
interface Page {
  basis: string;
  history?: ReadonlyMap<string, History>;
  advance?: { which: 'remote' | 'local'; cursor: string };
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
    private readonly checkpoints: CheckpointsRepository,
    private readonly conflicts: ConflictsRepository,
    private readonly epoch: NodeEpoch,
    private readonly config: AppConfig,
  ) {}

  async round(client: PeerClient, totals: RoundTotals, progress: SyncProgress): Promise<void> {
    const checkpoint = await this.checkpoints.checkpoint(client.peer.id);
    const localSince = this.localPosition(checkpoint.localCursor);
    const mover = new BodyMover(client, this.items, this.config.publicUrl);
    const remoteCursor = await this.pullPhase(mover, client, checkpoint.remoteCursor ?? undefined, localSince, totals, progress);
    await this.pushPhase(mover, client, localSince, remoteCursor, totals, progress);
  }

  /**
   * Starts over with a peer whose database was reset or restored: forgets
   * both cursors, and that any item came from that peer, since it may no
   * longer hold what it once sent.
   */
  async startOver(peer: string): Promise<void> {
    await this.items.transaction(async (tx) => {
      await this.checkpoints.reset(tx, peer);
      await this.items.forgetSource(tx, peer);
    });
  }

  /** Settles every entry of the peer's log after `cursor`; returns where the log ended. */
  private async pullPhase(
    mover: BodyMover,
    client: PeerClient,
    cursor: string | undefined,
    localSince: LogPosition | undefined,
    totals: RoundTotals,
    progress: SyncProgress,
  ): Promise<string> {
    const peer = client.peer.id;
    for (let first = true; ; first = false) {
      const page = await client.readLog(cursor, SYNC_PAGE_SIZE, first);
      if (page.node !== peer) throw new PeerError('rejected', `peer "${peer}" answers as node "${page.node}": check PEERS`);
      if (first) progress.begin('pull', page.entries.length + (page.remaining ?? 0));
      const remote = new Map(page.entries.map((entry) => [entry.itemId, sideFromEntry(entry)]));
      const ids = [...remote.keys()];
      const local = await this.items.localSides(ids, localSince ?? LOG_START, peer);
      const plan = planMerge(ids, local, remote, this.config.conflictWindowMs);
      const history = new Map(page.entries.map((e) => [e.itemId, { fingerprint: e.fingerprint, replaces: e.replaces ?? null }]));
      const advance = page.cursor === cursor ? undefined : { which: 'remote' as const, cursor: page.cursor };
      addTo(totals, await this.settle(mover, plan, { basis: page.cursor, history, advance }));
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
    mover: BodyMover,
    client: PeerClient,
    since: LogPosition | undefined,
    basis: string,
    totals: RoundTotals,
    progress: SyncProgress,
  ): Promise<void> {
    const peer = client.peer.id;
    let saved = since && encodeCursor(this.epoch.value, since);
    progress.begin('push', await this.log.countAfter(since ?? LOG_START, peer));
    for (let position = since ?? LOG_START; ; ) {
      const slice = await this.log.readAfter(position, SYNC_PAGE_SIZE, { excludeSource: peer });
      const ids = slice.rows.map((row) => row.version.id);
      const remote = new Map((await client.fetchItems(ids, false)).items.map((item) => [item.id, sideFromItem(item)]));
      const local = await this.items.localSides(ids, LOG_START, peer);
      const plan = planMerge(ids, local, remote, this.config.conflictWindowMs);
      const cursor = encodeCursor(this.epoch.value, slice.end);
      const advance = cursor === saved ? undefined : { which: 'local' as const, cursor };
      addTo(totals, await this.settle(mover, plan, { basis, advance }));
      saved = cursor;
      progress.advance(slice.rows.length);
      position = slice.end;
      if (!slice.hasMore) return;
    }
  }

  /**
   * Carries out one page's plan. Both sides of each conflict are read first
   * (our push would replace the peer's loser, our pull our own); then our
   * winners are pushed; then the peer's winners are fetched a chunk at a time,
   * and each chunk is applied in one transaction with the conflict records
   * (in the first) and the page's cursor (in the last). With nothing to pull,
   * record or advance, nothing is written: a no-op sync writes nothing.
   */
  private async settle(mover: BodyMover, plan: MergePlan, page: Page): Promise<RoundTotals> {
    const peer = mover.peer;
    const records = await mover.conflictRecords(plan.conflicts);
    const pushed = await mover.push(plan.push, page.basis);
    let pulled = 0;
    if (plan.pull.length === 0 && records.length === 0 && !page.advance) return { pushed, pulled, conflicts: 0 };
    let unrecorded = records;
    for await (const chunk of mover.pull(plan.pull, page.history)) {
      await this.items.transaction(async (tx) => {
        const outcomes = await this.items.applyVersions(tx, chunk.versions, peer, this.config.conflictWindowMs);
        pulled += [...outcomes.values()].filter((outcome) => outcome === 'applied').length;
        await this.conflicts.record(tx, unrecorded);
        if (chunk.last && page.advance) await this.checkpoints.advance(tx, peer, page.advance.which, page.advance.cursor);
      });
      unrecorded = [];
    }
    return { pushed, pulled, conflicts: records.length };
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

function addTo(totals: RoundTotals, settled: RoundTotals): void {
  totals.pulled += settled.pulled;
  totals.pushed += settled.pushed;
  totals.conflicts += settled.conflicts;
}
