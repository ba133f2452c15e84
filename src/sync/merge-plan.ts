import { compareVersions } from '../core/winner';
import type { VersionKey } from '../core/version';

/** One side's version of an item as the plan sees it: key and history, no body. */
export interface SideVersion extends VersionKey {
  id: string;
  deleted: boolean;
  /** Fingerprint of the version this one was written over, when known. */
  replaces: string | null;
  /** Whether this side changed the item since the two nodes last synced. */
  changedSinceSync: boolean;
}

/** Keep the loser of a concurrent edit: both sides changed the item and neither saw the other. */
export interface PlannedConflict {
  itemId: string;
  winner: 'local' | 'remote';
}

export interface MergePlan {
  /** The remote version wins: fetch its body and apply it here. */
  pull: string[];
  /** The local version wins (or the peer lacks it): send it. */
  push: string[];
  conflicts: PlannedConflict[];
}

/**
 * A causal edit was made after seeing the version it replaces, so it is never
 * a conflict. Two versions written by one node are causal (a node's writes
 * follow each other); otherwise the winner is causal when it was written over
 * the loser, `replaces` naming the version its node's run of edits started from.
 */
export function isConflict(winner: SideVersion, loser: SideVersion): boolean {
  return (
    winner.changedSinceSync &&
    loser.changedSinceSync &&
    winner.fingerprint !== loser.fingerprint &&
    winner.origin !== loser.origin &&
    winner.replaces !== loser.fingerprint
  );
}

/**
 * Decides, per item, what one sync step does. `ids` are the items under
 * consideration (a page of either log); an item missing on one side is
 * simply sent to it. Pure: plain values in, plain values out.
 */
export function planMerge(
  ids: string[],
  local: ReadonlyMap<string, SideVersion>,
  remote: ReadonlyMap<string, SideVersion>,
  windowMs: number,
): MergePlan {
  const plan: MergePlan = { pull: [], push: [], conflicts: [] };
  for (const id of ids) {
    const mine = local.get(id);
    const theirs = remote.get(id);
    if (!mine && !theirs) continue;
    if (!mine) {
      plan.pull.push(id);
      continue;
    }
    if (!theirs) {
      plan.push.push(id);
      continue;
    }
    const order = compareVersions(theirs, mine, windowMs);
    if (order === 0) continue;
    const [winner, loser] = order > 0 ? [theirs, mine] : [mine, theirs];
    (order > 0 ? plan.pull : plan.push).push(id);
    if (isConflict(winner, loser)) plan.conflicts.push({ itemId: id, winner: order > 0 ? 'remote' : 'local' });
  }
  return plan;
}

/** What applying one pulled version does to the stored one, decided under the row lock. */
export interface ApplyDecision {
  /** The pulled version wins (or nothing is stored here): it replaces what is here. */
  remoteWins: boolean;
  /** The loser of a concurrent edit, to keep as a conflict record. */
  conflict: boolean;
}

/**
 * A plan is a snapshot: by the time a pulled version is applied, a local
 * write may have landed. So the apply decides again against the row it holds
 * locked, by the same rule and the same conflict test as the plan.
 */
export function decideOnApply(remote: SideVersion, local: SideVersion | undefined, windowMs: number): ApplyDecision {
  if (!local) return { remoteWins: true, conflict: false };
  const order = compareVersions(remote, local, windowMs);
  if (order === 0) return { remoteWins: false, conflict: false };
  return order > 0
    ? { remoteWins: true, conflict: isConflict(remote, local) }
    : { remoteWins: false, conflict: isConflict(local, remote) };
}
