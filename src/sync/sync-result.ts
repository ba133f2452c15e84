import type { PeerErrorKind } from '../peers/peer-client';
import type { RunTrigger } from '../peers/peer-state';

/** One sync with one peer, as `POST /admin/sync` answers it and `GET /admin/peers` keeps it. */
export interface SyncResult {
  peer: string;
  ok: boolean;
  pulled: number;
  pushed: number;
  conflicts: number;
  /** Versions left out of the pull: stamped more than MAX_FUTURE_MS ahead of this node's clock. */
  refused: number;
  rounds: number;
  durationMs: number;
  error?: string;
  errorKind?: PeerErrorKind | 'internal' | 'paused';
}

/** What started a sync: `POST /admin/sync`, the scheduler, or near-live sync after a write. */
export type SyncTrigger = RunTrigger;

/** The scheduler's next run after a scheduled sync, in ms, given the peer's consecutive failures then. */
export type PlanNext = (failures: number) => number;

/** The answer for a paused peer named in `POST /admin/sync`: nothing ran. */
const NOTHING_DONE = { pulled: 0, pushed: 0, conflicts: 0, refused: 0, rounds: 0, durationMs: 0 };

export function pausedResult(peer: string): SyncResult {
  return { peer, ok: false, ...NOTHING_DONE, error: 'paused', errorKind: 'paused' };
}

/** A sync that could not start: the peer's lock could not be taken (its connection to the database failed). */
export function unstartedResult(peer: string, error: Error): SyncResult {
  return {
    peer,
    ok: false,
    ...NOTHING_DONE,
    error: `internal: the sync could not start: ${error.message}`,
    errorKind: 'internal',
  };
}
