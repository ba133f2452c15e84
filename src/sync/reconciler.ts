import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { futureProblem } from '../core/future-limit';
import { SYNC_PAGE_SIZE } from '../core/limits';
import { LOG_START, LogPosition } from '../core/log-position';
import { AppConfig } from '../config/env';
import { ItemsRepository } from '../items/items.repository';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { PeerClient } from '../peers/peer-client';
import { LogRepository, LogSlice } from '../transactions/log.repository';
import { decodeCursor } from '../transactions/log-cursor';
import { NodeEpoch } from '../transactions/node-epoch.service';
import { BodyMode, nextBodyMode } from './body-mode';
import { BodyMover, History } from './body-mover';
import { ConflictsRepository } from './conflicts.repository';
import { Lookahead } from './lookahead';
import { MergePlan, planMerge } from './merge-plan';
import { offerAhead, pushPhase } from './push-phase';
import { PullContext, applyPulled } from './pulled-apply';
import { Pulled, RemotePage, readRemotePage } from './remote-page';
import { RoundTotals, addTo, noTotals } from './round-totals';
import { SyncProgress } from './sync-progress';
import { sideFromEntry } from './wire';

export type { RoundTotals } from './round-totals';

/** One page of the peer's log to settle: the cursor every push carries and the one saved with the page. */
interface Page {
  cursor: string;
  advance: boolean;
  history: ReadonlyMap<string, History>;
  bodies?: ReadonlyMap<string, Pulled>;
  /** The page's items this node held when the page was planned. */
  held: ReadonlySet<string>;
}

/**
 * One sync round with one peer, as a plain loop: read the peer's log from the
 * saved cursor a page at a time and settle each page (pull what wins there,
 * push what wins here); then offer this node's own changes since its saved
 * cursor the same way. Each page's cursor is saved in the transaction that
 * applied the page, so a round that dies anywhere resumes from its last page
 * and redoes nothing twice. Memory holds a page and the one read ahead.
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
    private readonly clock: Clock,
  ) {}

  async round(client: PeerClient, totals: RoundTotals, progress: SyncProgress): Promise<void> {
    const peer = client.peer.id;
    const checkpoint = await this.checkpoints.checkpoint(peer);
    const localSince = this.localPosition(checkpoint.localCursor);
    const context = {
      since: localSince ?? LOG_START,
      echo: { peer, floor: checkpoint.echoFloor },
      windowMs: this.config.conflictWindowMs,
    };
    const mover = new BodyMover(client, this.items, (v) => futureProblem(v, this.clock.now(), this.config.maxFutureMs));
    // This node's own log is first read while the peer's first page is asked for (see push-phase.ts).
    const ownFirst = this.log.readAfter(context.since, SYNC_PAGE_SIZE, { echo: context.echo });
    ownFirst.catch(() => undefined);
    try {
      const from = { cursor: checkpoint.remoteCursor ?? undefined, ownFirst };
      const pulled = await this.pullPhase(mover, client, from, context, totals, progress);
      const own = { since: localSince, first: ownFirst, left: pulled.left, readOn: pulled.entries > 0 };
      const stores = { items: this.items, log: this.log, checkpoints: this.checkpoints, epoch: this.epoch };
      await pushPhase(stores, { client, mover, basis: pulled.cursor, context, totals }, own, progress);
    } finally {
      await ownFirst.catch(() => undefined);
    }
  }

  /** Starts over with a peer whose database was reset or restored (see CheckpointsRepository.reset). */
  async startOver(peer: string): Promise<void> {
    await this.checkpoints.reset(peer);
  }

  /**
   * Settles every entry of the peer's log after `cursor`; returns where the
   * log ended and how many entries it settled. Page n+1 is read (and its
   * bodies verified) while page n is settled, and planned only once page n
   * has committed; on any error the read ahead is aborted and awaited before
   * the error goes on. While the last page settles, part of this node's
   * first slice (`from.ownFirst`) is offered (see `offerAhead` in push-phase.ts); the two are
   * awaited together, so a 409 met there waits for the page to commit.
   */
  private async pullPhase(
    mover: BodyMover,
    client: PeerClient,
    from: { cursor?: string; ownFirst: Promise<LogSlice> },
    context: PullContext,
    totals: RoundTotals,
    progress: SyncProgress,
  ): Promise<{ cursor: string; entries: number; left?: string[] }> {
    let cursor = from.cursor;
    const ahead = new Lookahead<RemotePage>();
    let mode: BodyMode = 'keys';
    let entries = 0;
    try {
      let next = await readRemotePage(client, cursor, SYNC_PAGE_SIZE, { mode, remaining: true });
      progress.begin('pull', next.page.entries.length + (next.page.remaining ?? 0));
      for (;;) {
        const { page, bodies } = next;
        const remote = new Map(page.entries.map((entry) => [entry.itemId, sideFromEntry(entry)]));
        const ids = [...remote.keys()];
        const local = await this.items.localSides(ids, context.since, context.echo);
        mode = nextBodyMode(mode, ids.filter((id) => !local.has(id)).length, ids.length);
        if (page.hasMore) ahead.start((signal) => readRemotePage(client, page.cursor, SYNC_PAGE_SIZE, { mode, signal }));
        const history = new Map(
          page.entries.map((e) => [e.itemId, { fingerprint: e.fingerprint, replaces: e.replaces ?? null }]),
        );
        const plan = planMerge(ids, local, remote, context.windowMs);
        const held = new Set(local.keys());
        const settled = { cursor: page.cursor, advance: page.cursor !== cursor, history, bodies, held };
        const target = { client, mover, basis: page.cursor, context, totals };
        const offered =
          page.hasMore || ids.length === 0 ? undefined : offerAhead(this.items, target, from.ownFirst, new Set(ids));
        const [done, left] = await Promise.allSettled([this.settle(mover, plan, settled, context), offered]);
        if (done.status === 'rejected') throw done.reason;
        if (left.status === 'rejected') throw left.reason;
        addTo(totals, done.value);
        progress.advance(page.entries.length);
        entries += page.entries.length;
        if (!page.hasMore) return { cursor: page.cursor, entries, left: left.value };
        cursor = page.cursor;
        next = await ahead.take();
      }
    } finally {
      await ahead.cancel();
    }
  }

  /**
   * Carries out one page's plan. The losers our push will replace on the peer
   * are recorded and committed first; then our winners are pushed; then the
   * peer's winners are applied a chunk per transaction, each with the records
   * of the losers it replaces (decided again under its row locks) and, in the
   * last, the page's cursor. With nothing to pull or advance, nothing is written.
   */
  private async settle(mover: BodyMover, plan: MergePlan, page: Page, context: PullContext): Promise<RoundTotals> {
    const peer = mover.peer;
    const totals = noTotals();
    const overwritten = plan.conflicts.filter((c) => c.winner === 'local').map((c) => c.itemId);
    if (overwritten.length > 0) {
      const edits = await mover.losers(overwritten, page.history, page.bodies);
      totals.conflicts += await this.items.transaction((tx) => this.conflicts.record(tx, peer, edits));
    }
    totals.pushed += await mover.push(plan.push, page.cursor);
    if (plan.pull.length === 0 && !page.advance) return totals;
    for await (const chunk of mover.pull(plan.pull, page.history, page.bodies)) {
      totals.refused += chunk.refused;
      await this.items.transaction(async (tx) => {
        const repositories = { items: this.items, conflicts: this.conflicts };
        addTo(totals, await applyPulled(tx, repositories, chunk.pulled, context, page.held));
        if (chunk.last && page.advance) await this.checkpoints.advance(tx, peer, 'remote', page.cursor);
      });
    }
    return totals;
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
