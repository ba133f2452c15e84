/** What the winner rule compares: API.md's key is (bucket, priority, updatedAt, origin, fingerprint). */
export interface VersionKey {
  updatedAtMs: number;
  priority: number;
  origin: string;
  fingerprint: string;
}

/** One version of one item: what every write path stores and every node compares. */
export interface Version extends VersionKey {
  id: string;
  data: Record<string, unknown> | null;
  deleted: boolean;
  /** Fingerprint of the version this one was written over, when known (conflict detection). */
  replaces: string | null;
  /** `data` as canonical JSON text, when it was checked in that form (from another node, or a bulk write). */
  dataText?: string;
}

/** What became of one incoming version: stored, already there, or beaten by what is there. */
export type ApplyOutcome = 'applied' | 'unchanged' | 'superseded';

export interface ApplyCounts {
  applied: number;
  unchanged: number;
  superseded: number;
}

export function countOutcomes(outcomes: Iterable<ApplyOutcome>): ApplyCounts {
  const counts: ApplyCounts = { applied: 0, unchanged: 0, superseded: 0 };
  for (const outcome of outcomes) counts[outcome]++;
  return counts;
}
