import request from 'supertest';
import { TestNode, freePort, startNode } from './node';

export const TEST_SECRET = 'cluster-test-secret';

export interface ClusterOptions {
  /** Which nodes peer with which, e.g. { a: ['b', 'c'], b: ['a'] }; default: full mesh. */
  links?: Record<string, string[]>;
  /** Extra environment per node, e.g. { b: { NODE_PRIORITY: '5' } }. */
  env?: Record<string, Record<string, string>>;
}

export interface Cluster {
  nodes: Record<string, TestNode>;
  /** POST /admin/sync on `from` (optionally with some peers); returns the results. */
  sync(from: string, peers?: string[]): Promise<SyncResultBody[]>;
  stop(): Promise<void>;
}

export interface SyncResultBody {
  peer: string;
  ok: boolean;
  pulled: number;
  pushed: number;
  conflicts: number;
  rounds: number;
  durationMs: number;
  error?: string;
}

/** Starts real nodes on their own databases, peered over real HTTP with signed requests. */
export async function startCluster(ids: string[], options: ClusterOptions = {}): Promise<Cluster> {
  const ports = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await freePort()] as const)));
  const links = options.links ?? Object.fromEntries(ids.map((id) => [id, ids.filter((other) => other !== id)]));
  const nodes: Record<string, TestNode> = {};
  for (const id of ids) {
    const peers = (links[id] ?? []).map((peer) => `${peer}=http://127.0.0.1:${ports[peer]}`).join(',');
    nodes[id] = await startNode({
      id,
      port: ports[id],
      env: { ...(peers ? { PEERS: peers, SYNC_SECRET: TEST_SECRET } : {}), ...options.env?.[id] },
    });
  }
  return {
    nodes,
    async sync(from, peers) {
      const response = await request(nodes[from].url).post('/admin/sync').send(peers ? { peers } : {});
      if (response.status !== 200) throw new Error(`sync from ${from}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.results;
    },
    async stop() {
      await Promise.all(Object.values(nodes).map((node) => node.stop()));
    },
  };
}
