import { SYNC_PAGE_SIZE } from '../core/limits';
import { LOG_START, LogPosition } from '../core/log-position';
import { ItemsRepository } from '../items/items.repository';
import { CheckpointsRepository } from '../peers/checkpoints.repository';
import { LogRepository, LogSlice } from '../transactions/log.repository';
import { encodeCursor } from '../transactions/log-cursor';
import { NodeEpoch } from '../transactions/node-epoch.service';
import { OfferTarget, offerOwn } from './push-offer';
import { SyncProgress } from './sync-progress';

/** Log positions issued from `from` to `to`: what the push phase's progress counts. */
const positionsBetween = (from: LogPosition, to: LogPosition) => Math.max(0, Number(to.seq) - Number(from.seq));

/** This node's log for the push phase: its first slice (read as the round began) and what to do with it. */
export interface OwnLog {
  since?: LogPosition;
  first: Promise<LogSlice>;
  /** The first slice's items not offered yet, when some were offered while the pull phase applied. */
  left?: string[];
  /** Whether to read on after the first slice (see pushPhase). */
  readOn: boolean;
}

/** What the push phase reads and writes here: this node's log and items, and the saved local cursor. */
export interface OwnLogStores {
  items: ItemsRepository;
  log: LogRepository;
  checkpoints: CheckpointsRepository;
  epoch: NodeEpoch;
}

/**
 * Offers, while the pull phase's last page settles, the items of this
 * node's first slice that page does not hold: nothing left in the pull
 * phase can change them, every earlier page having committed. Returns the
 * slice's items the page holds, to offer once it has committed.
 */
export async function offerAhead(
  items: ItemsRepository,
  target: OfferTarget,
  first: Promise<LogSlice>,
  onPage: ReadonlySet<string>,
): Promise<string[]> {
  const ids = (await first).rows.map((row) => row.version.id);
  await offerOwn(
    items,
    target,
    ids.filter((id) => !onPage.has(id)),
  );
  return ids.filter((id) => onPage.has(id));
}

/**
 * Offers this node's changes since its cursor for the peer (see
 * `offerOwn`), a slice at a time; `target.basis` is where the pull phase
 * ended. `own.first` is the first slice after the cursor, read as the
 * round began, less what was offered already (`own.left`). A pull phase
 * that met no entry decided nothing here, so that slice will do;
 * otherwise (`own.readOn`) the log is read on from its end, so what the
 * pull kept here under its row locks (a local write that landed after its
 * plan) is offered in this round, and that slice's end is not saved.
 */
export async function pushPhase(stores: OwnLogStores, target: OfferTarget, own: OwnLog, progress: SyncProgress): Promise<void> {
  const { items, log, checkpoints, epoch } = stores;
  const peer = target.client.peer.id;
  let saved = own.since && encodeCursor(epoch.value, own.since);
  let position = own.since ?? LOG_START;
  let slice = await own.first;
  let ids = own.left ?? slice.rows.map((row) => row.version.id);
  let readOn = own.readOn;
  // A log that fits one slice needs no estimate: its total is known.
  const known = !slice.hasMore && !readOn;
  progress.begin('push', known ? positionsBetween(position, slice.end) : await log.estimateAfter(position));
  for (;;) {
    await offerOwn(items, target, ids);
    const cursor = encodeCursor(epoch.value, slice.end);
    if (cursor !== saved && (slice.hasMore || !readOn)) {
      await items.transaction((tx) => checkpoints.advance(tx, peer, 'local', cursor));
      saved = cursor;
    }
    progress.advance(positionsBetween(position, slice.end));
    position = slice.end;
    if (!slice.hasMore && !readOn) return;
    readOn = false;
    slice = await log.readAfter(position, SYNC_PAGE_SIZE, { echo: target.context.echo });
    ids = slice.rows.map((row) => row.version.id);
  }
}
