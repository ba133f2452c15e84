/** Longest pause between scheduled attempts at a failing peer. */
export const MAX_BACKOFF_MS = 5 * 60 * 1000;

/** setTimeout's limit: a longer delay overflows and fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Delay before the next scheduled sync with a peer: the interval after a
 * success, doubling with each consecutive failure up to MAX_BACKOFF_MS (or the
 * interval, if longer), jittered by ±20% so peers do not retry in lockstep,
 * and never past what setTimeout can wait (SYNC_INTERVAL_MS may be 2^31 - 1).
 */
export function nextDelay(intervalMs: number, failures: number, random: number): number {
  const base = failures === 0 ? intervalMs : Math.min(intervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, intervalMs));
  return Math.min(Math.round(base * (0.8 + 0.4 * random)), MAX_TIMER_MS);
}

/** Pause before retrying a round whose push met a 409: short, growing, jittered. */
export function retryDelay(round: number, random: number): number {
  return Math.round(Math.min(50 * 2 ** (round - 1), 2000) * (0.5 + 0.5 * random));
}
