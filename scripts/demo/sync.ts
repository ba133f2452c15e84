import { setTimeout as sleep } from 'node:timers/promises';
import { call } from './api';
import type { DemoNode } from './mesh';
import type { SyncResult } from '../../src/sync/sync-result';

export type { SyncResult };

interface PeerStatus {
  id: string;
  /** API.md names it `progress`; earlier builds called it `running`. */
  progress?: { phase: string; done: number; total: number } | null;
  running?: { phase: string; done: number; total: number } | null;
}

const out = process.stdout;

function progressLine(node: DemoNode, peers: PeerStatus[], elapsedMs: number): string {
  const parts = peers.map((peer) => {
    const progress = peer.progress ?? peer.running;
    return progress ? `${peer.id}: ${progress.phase} ${progress.done}/${progress.total}` : `${peer.id}: done`;
  });
  return `  ${node.id} syncing  ${parts.join('  ')}  (${(elapsedMs / 1000).toFixed(1)} s)`;
}

/** `POST /admin/sync` on one node, showing `GET /admin/peers` progress on the terminal while it runs. */
async function syncWithProgress(node: DemoNode): Promise<SyncResult[]> {
  const started = Date.now();
  let finished = false;
  const sync = call<{ results: SyncResult[] }>('POST', `${node.url}/admin/sync`).finally(() => (finished = true));
  let last = '';
  while (!finished) {
    const status = await call<{ peers: PeerStatus[] }>('GET', `${node.url}/admin/peers`).catch(() => undefined);
    const line = status ? progressLine(node, status.peers, Date.now() - started) : '';
    if (line && out.isTTY) out.write(`\r${line}\x1b[K`);
    else if (line && line.replace(/\(.*\)$/, '') !== last.replace(/\(.*\)$/, '')) out.write(`${line}\n`);
    last = line || last;
    await Promise.race([sync.catch(() => undefined), sleep(150)]);
  }
  if (out.isTTY && last) out.write('\r\x1b[K');
  return (await sync).results;
}

function describe(node: DemoNode, result: SyncResult): string {
  const counts = `pulled ${result.pulled}, pushed ${result.pushed}, conflicts ${result.conflicts}, ${result.durationMs} ms`;
  return `  ${node.id} <-> ${result.peer}: ${result.ok ? counts : `FAILED: ${result.error}`}`;
}

/** One pass over the mesh: each node in turn syncs with all its peers. Returns false if any sync failed. */
export async function syncPass(nodes: DemoNode[]): Promise<boolean> {
  let ok = true;
  for (const node of nodes) {
    const results = await syncWithProgress(node);
    for (const result of results) {
      out.write(`${describe(node, result)}\n`);
      ok &&= result.ok;
    }
  }
  return ok;
}
