/** What a peer's sync job is doing, as `GET /admin/peers` names it. */
export const PEER_STATES = ['idle', 'scheduled', 'running', 'backing-off', 'stood-down', 'paused'] as const;
export type PeerState = (typeof PEER_STATES)[number];

/** What started a run with a peer. */
export const RUN_TRIGGERS = ['admin', 'schedule', 'write'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** The stored facts of one peer's job, shared by every process of the node. */
export interface PeerJobFacts {
  /** A run holds the peer now, in some process whose heartbeat is recent. */
  running: boolean;
  paused: boolean;
  /** The peer refused our credentials; the scheduler leaves it until a sync with it succeeds. */
  stoodDown: boolean;
  consecutiveFailures: number;
  nextRunAt: Date | null;
}

/**
 * One state per peer, the most telling first: a run in progress shows even
 * on a paused peer (pausing does not cut a run short); an operator's pause
 * outranks the scheduler's own reasons to wait; a failing peer backs off
 * whether or not the scheduler will retry it (the retry time is `nextRunAt`).
 */
export function peerState(job: PeerJobFacts): PeerState {
  if (job.running) return 'running';
  if (job.paused) return 'paused';
  if (job.stoodDown) return 'stood-down';
  if (job.consecutiveFailures > 0) return 'backing-off';
  return job.nextRunAt ? 'scheduled' : 'idle';
}

/** When the scheduler will next run the peer: nothing is due for a paused or stood-down peer. */
export function dueAt(job: PeerJobFacts): Date | null {
  return job.paused || job.stoodDown ? null : job.nextRunAt;
}

export interface PeerJob extends PeerJobFacts {
  peer: string;
  /** The running run's progress as its process last reported it. */
  progress: Record<string, unknown> | null;
}

export interface RunRecord {
  peer: string;
  trigger: RunTrigger;
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  pulled: number;
  pushed: number;
  conflicts: number;
  rounds: number;
  error?: string;
}
