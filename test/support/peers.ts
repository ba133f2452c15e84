import { callNode } from './bulk-items';

/** A bearer token long enough for any node's configuration. */
export const PEERS_TEST_TOKEN = 'peer-jobs-test-token-0123456789abcdef';

export interface PeerBody {
  id: string;
  url: string;
  state: string;
  paused: boolean;
  lastResult: Record<string, unknown> | null;
  lastSuccessAt: string | null;
  nextRunAt: string | null;
  consecutiveFailures: number;
  progress: { phase: string; done: number; total: number; itemsPerSecond: number } | null;
  backlog: { push: number };
  /** Beyond API.md: both cursors of the peer's checkpoint. */
  checkpoint: { remoteCursor: string | null; localCursor: string | null };
}

export interface RunBody {
  startedAt: string;
  finishedAt: string;
  trigger: string;
  ok: boolean;
  pulled: number;
  pushed: number;
  conflicts: number;
  rounds: number;
  error?: string;
}

/** Every peer of the node at `url`, as GET /admin/peers answers. */
export async function peersOf(url: string, token?: string): Promise<PeerBody[]> {
  const { status, body } = await callNode(url, 'GET', '/admin/peers', { token });
  if (status !== 200) throw new Error(`GET /admin/peers on ${url}: ${status} ${JSON.stringify(body)}`);
  return body.peers;
}

export async function peerOf(url: string, id: string, token?: string): Promise<PeerBody> {
  const peer = (await peersOf(url, token)).find((each) => each.id === id);
  if (!peer) throw new Error(`${url} lists no peer ${id}`);
  return peer;
}

/** GET /admin/peers/:id/runs, newest first. */
export async function runsOf(url: string, id: string, token?: string, limit?: number): Promise<RunBody[]> {
  const query = limit === undefined ? '' : `?limit=${limit}`;
  const { status, body } = await callNode(url, 'GET', `/admin/peers/${id}/runs${query}`, { token });
  if (status !== 200) throw new Error(`GET /admin/peers/${id}/runs on ${url}: ${status} ${JSON.stringify(body)}`);
  return body.runs;
}

/** POST /admin/peers/:id/<action>; returns status and body. */
export function peerAction(url: string, id: string, action: 'pause' | 'resume' | 'reset', token?: string) {
  return callNode(url, 'POST', `/admin/peers/${id}/${action}`, { token });
}

/** Polls the peer until `accept` holds (or the time is up, then fails with the last answer). */
export async function waitForPeer(
  url: string,
  id: string,
  accept: (peer: PeerBody) => boolean,
  options: { token?: string; timeoutMs?: number; everyMs?: number } = {},
): Promise<PeerBody> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const peer = await peerOf(url, id, options.token);
    if (accept(peer)) return peer;
    if (Date.now() > deadline) throw new Error(`peer ${id} on ${url} never got there; last seen ${JSON.stringify(peer)}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
