/** What a round did so far: versions the peer applied, versions applied here, losers kept. */
export interface RoundTotals {
  pushed: number;
  pulled: number;
  conflicts: number;
  /** Pulled versions left out: stamped more than MAX_FUTURE_MS ahead of this node's clock. */
  refused: number;
}

export function noTotals(): RoundTotals {
  return { pushed: 0, pulled: 0, conflicts: 0, refused: 0 };
}

export function addTo(totals: RoundTotals, settled: Partial<RoundTotals>): void {
  totals.pulled += settled.pulled ?? 0;
  totals.pushed += settled.pushed ?? 0;
  totals.conflicts += settled.conflicts ?? 0;
  totals.refused += settled.refused ?? 0;
}
