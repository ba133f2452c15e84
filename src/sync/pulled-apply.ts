import { EntityManager } from 'typeorm';
import type { LogPosition } from '../core/log-position';
import { EchoFilter, ItemsRepository } from '../items/items.repository';
import { ConcurrentEdit, ConflictsRepository } from './conflicts.repository';
import { decideOnApply } from './merge-plan';
import { Pulled, viewOf } from './remote-page';

/** Where pulled versions come from and how this node tells its own changes since the last sync with that peer. */
export interface PullContext {
  since: LogPosition;
  echo: EchoFilter;
  windowMs: number;
}

/** A row that appears between the lock and the insert is decided again, a bounded number of times. */
const MAX_TRIES = 3;

/**
 * Applies versions pulled from a peer inside `tx`, deciding "conflict or not"
 * again against the rows it holds locked: a local write that landed since the
 * plan is a conflict like any other. Each loser is recorded (this node's side
 * copied in SQL) before the statement that would overwrite it. An item absent
 * when locked is only inserted, never replacing a row created meanwhile; such
 * an item is locked and decided again. Items known absent when the page was
 * planned (`heldAtPlan` lists those that were not) are first inserted without
 * locking, the same way. Returns versions applied and records made.
 */
export async function applyPulled(
  tx: EntityManager,
  repositories: { items: ItemsRepository; conflicts: ConflictsRepository },
  pulled: Pulled[],
  context: PullContext,
  heldAtPlan?: ReadonlySet<string>,
): Promise<{ pulled: number; conflicts: number }> {
  const { items, conflicts } = repositories;
  const totals = { pulled: 0, conflicts: 0 };
  let pending = pulled;
  if (heldAtPlan) {
    // Absent when planned: inserted as they are, unlocked; one created here since is left to the loop below.
    const fresh = pulled.filter((p) => !heldAtPlan.has(p.version.id)).map((p) => p.version);
    const inserted = await items.applyVersions(tx, fresh, context.echo.peer, context.windowMs, { overwrite: false });
    totals.pulled += [...inserted.values()].filter((outcome) => outcome === 'applied').length;
    pending = pulled.filter((p) => heldAtPlan.has(p.version.id) || inserted.get(p.version.id) !== 'applied');
  }
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_TRIES) throw new Error(`items kept being created here while pulling them from ${context.echo.peer}`);
    const local = await items.localSides(
      pending.map((p) => p.version.id),
      context.since,
      context.echo,
      tx,
    );
    const edits: ConcurrentEdit[] = [];
    for (const p of pending) {
      const mine = local.get(p.version.id);
      // Nothing stored here: the pulled version goes in as it is, never a conflict.
      if (!mine) continue;
      const { remoteWins, conflict } = decideOnApply({ ...p.version, changedSinceSync: true }, mine, context.windowMs);
      if (conflict) edits.push({ itemId: p.version.id, localWins: !remoteWins, remote: viewOf(p) });
    }
    totals.conflicts += await conflicts.record(tx, context.echo.peer, edits);
    const present = pending.filter((p) => local.has(p.version.id)).map((p) => p.version);
    const absent = pending.filter((p) => !local.has(p.version.id));
    const replaced = await items.replaceVersions(tx, present, context.echo.peer, context.windowMs);
    const inserted = await items.applyVersions(
      tx,
      absent.map((p) => p.version),
      context.echo.peer,
      context.windowMs,
      { overwrite: false },
    );
    totals.pulled += [...replaced.values(), ...inserted.values()].filter((outcome) => outcome === 'applied').length;
    pending = absent.filter((p) => inserted.get(p.version.id) !== 'applied');
  }
  return totals;
}
