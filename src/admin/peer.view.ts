import type { PeerConfig } from '../config/env';
import type { PeerCheckpoint } from '../peers/checkpoints.repository';
import { PeerJob, dueAt, peerState } from '../peers/peer-state';
import type { SyncProgress } from '../sync/sync-progress';

/** What a node knows of one peer, gathered from the tables and this process. */
export interface PeerFacts {
  peer: PeerConfig;
  job: PeerJob;
  checkpoint: PeerCheckpoint | undefined;
  backlog: number;
  /** This process's own run with the peer, if any (it may still be waiting for another process's run). */
  local: SyncProgress | undefined;
}

/** One peer as `GET /admin/peers` shows it; `checkpoint` and `running` go beyond API.md, for operators and tests. */
export function toPeerView({ peer, job, checkpoint, backlog, local }: PeerFacts) {
  return {
    id: peer.id,
    url: peer.shownUrl,
    state: peerState(job),
    paused: job.paused,
    lastResult: checkpoint?.lastResult ?? null,
    lastSuccessAt: checkpoint?.lastSuccessAt?.toISOString() ?? null,
    nextRunAt: dueAt(job)?.toISOString() ?? null,
    consecutiveFailures: job.consecutiveFailures,
    progress: job.running ? job.progress : null,
    backlog: { push: backlog },
    checkpoint: { remoteCursor: checkpoint?.remoteCursor ?? null, localCursor: checkpoint?.localCursor ?? null },
    running: local ?? null,
  };
}

export type PeerView = ReturnType<typeof toPeerView>;
