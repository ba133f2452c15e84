import { fingerprintOf } from '../core/fingerprint';
import type { WriteDecision } from '../items/local-writer';

/** The two versions of a conflict record, as far as a resolution needs them. */
export interface ConflictSides {
  winner: ResolvedSide;
  loser: ResolvedSide;
}

export interface ResolvedSide {
  data: Record<string, unknown> | null;
  deleted: boolean;
  origin: string;
  fingerprint: string;
}

export type Resolution = { pick: 'winner' | 'loser' } | { data: Record<string, unknown> };

/**
 * What resolving a conflict writes on node `nodeId`: the chosen content, as a
 * version causal over both sides. Another node decides causality per pair
 * (merge-plan `isConflict`): a version is causal over one written by its own
 * origin, over one with its own content, and over the one its `replaces`
 * names. So `replaces` names the side not covered otherwise; when neither is,
 * the winner, which both nodes of the round hold once it ended. Pure.
 */
export function resolutionWrite(sides: ConflictSides, choice: Resolution, nodeId: string): WriteDecision {
  const content =
    'data' in choice
      ? { data: choice.data, deleted: false }
      : { data: sides[choice.pick].data, deleted: sides[choice.pick].deleted };
  const fingerprint = fingerprintOf(content.data, content.deleted);
  const covered = (side: ResolvedSide) => side.origin === nodeId || side.fingerprint === fingerprint;
  const named = [sides.winner, sides.loser].find((side) => !covered(side)) ?? sides.winner;
  return { ...content, resolves: { replaces: named.fingerprint } };
}
