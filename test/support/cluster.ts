import request from 'supertest';
import type { SyncResult } from '../../src/sync/sync.coordinator';
import { Client } from 'pg';
import { PG_ADMIN_URL } from './database';
import { TestNode, freePort, startNode } from './node';
import { signAs } from './signing';

/** At least 32 characters, as API.md requires of SYNC_SECRET. */
export const TEST_SECRET = 'cluster-test-secret-at-least-32-chars';

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

/** One result of `POST /admin/sync`, as the node answers it. */
export type SyncResultBody = SyncResult;

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
      const response = await request(nodes[from].url)
        .post('/admin/sync')
        .send(peers ? { peers } : {});
      if (response.status !== 200) throw new Error(`sync from ${from}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.results;
    },
    async stop() {
      await Promise.all(Object.values(nodes).map((node) => node.stop()));
    },
  };
}

/** The id a test signs as when it calls `node` by hand: one of that node's peers (a node refuses other senders). */
export function testSender(node: TestNode): string {
  const peer = node.config.peers[0];
  if (!peer) throw new Error(`node ${node.id} has no peers: it accepts no signed request`);
  return peer.id;
}

/**
 * Headers signing one request to cluster node `node` with TEST_SECRET, as
 * one of its peers (testSender). Timestamps never repeat, so two equal
 * requests are never refused as replays. `path` includes the query string.
 */
export function signedByTest(node: TestNode, method: string, path: string, body = ''): Record<string, string> {
  return signAs(TEST_SECRET, testSender(node), node.id, { method, path, body });
}

/** What convergence compares: every item a node holds as (id, fingerprint, deleted, updatedAt), by id. */
export interface ItemState {
  id: string;
  fingerprint: string;
  deleted: boolean;
  updatedAt: string;
}

/** A node's whole log (one page of up to 10000 entries) as sorted `ItemState`s. */
export async function itemStates(node: TestNode): Promise<ItemState[]> {
  const path = '/items/transactions?limit=10000';
  await olderTransactionsEnded();
  const res = await request(node.url)
    .get(path)
    .set(signedByTest(node, 'GET', path));
  if (res.status !== 200 || res.body.hasMore)
    throw new Error(`log of ${node.id}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return (res.body.entries as { itemId: string; fingerprint: string; deleted: boolean; updatedAt: string }[])
    .map(({ itemId, fingerprint, deleted, updatedAt }) => ({ id: itemId, fingerprint, deleted, updatedAt }))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * Waits until every transaction that began before this call has ended, in
 * the whole PostgreSQL server. A node's log serves an entry only once every
 * older transaction ended, and transaction ids are server-wide: other test
 * files creating databases delay what a node's log shows. Call it before a
 * sync whose counts a test asserts.
 */
export async function olderTransactionsEnded(timeoutMs = 10_000): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    const [{ xid }] = (await client.query(`SELECT pg_current_xact_id()::text AS xid`)).rows;
    for (const deadline = Date.now() + timeoutMs; ;) {
      const [{ ended }] = (await client.query(`SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS ended`, [xid])).rows;
      if (ended) return;
      if (Date.now() > deadline) throw new Error(`transactions older than ${xid} still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}
