import { randomBytes, randomUUID } from 'node:crypto';
import type { ClusterNode } from './cluster';
import type { LoadClient } from './client';

/** A write a node acknowledged: the version it made, and the one it knowingly replaced. */
export interface Ack {
  node: string;
  itemId: string;
  fingerprint: string;
  /** The fingerprint sent in If-Match: this write was made after seeing that version. */
  replaced?: string;
  ms: number;
}

export interface WriteLog {
  acks: Ack[];
  /** Ids each writer may edit: created here, so they exist somewhere. */
  ids: string[];
}

function pick<T>(values: T[]): T {
  return values[Math.floor(Math.random() * values.length)];
}

function sample(writer: number): Record<string, unknown> {
  return { writer, at: Date.now(), note: randomBytes(32).toString('hex') };
}

async function timedCall<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

async function create(client: LoadClient, node: ClusterNode, log: WriteLog, writer: number): Promise<void> {
  const id = randomUUID();
  const { value, ms } = await timedCall(() => client.call(node, 'POST', '/items', { id, data: sample(writer) }));
  if (value.status !== 201) return;
  log.ids.push(id);
  log.acks.push({ node: node.id, itemId: id, fingerprint: value.body.fingerprint, ms });
}

/** Reads the item on `node`, then edits (or deletes) it with If-Match on what it read. */
async function edit(
  client: LoadClient,
  node: ClusterNode,
  id: string,
  log: WriteLog,
  writer: number,
  remove: boolean,
): Promise<void> {
  const current = await client.call(node, 'GET', `/items/${id}`);
  if (current.status !== 200) return;
  const base: string = current.body.fingerprint;
  const { value, ms } = await timedCall(() =>
    remove
      ? client.call(node, 'DELETE', `/items/${id}`, undefined, base)
      : client.call(node, 'PUT', `/items/${id}`, { data: sample(writer) }, base),
  );
  if (value.status === 204) {
    const tombstone = await client.call(node, 'GET', `/items/${id}`);
    if (tombstone.status === 410)
      log.acks.push({ node: node.id, itemId: id, fingerprint: tombstone.body.fingerprint, replaced: base, ms });
  } else if (value.status === 200 || value.status === 201) {
    log.acks.push({ node: node.id, itemId: id, fingerprint: value.body.fingerprint, replaced: base, ms });
  }
}

/** The same item edited on two nodes at once, each over what it read there: one edit must lose, and be recorded. */
async function conflictingEdits(client: LoadClient, nodes: ClusterNode[], log: WriteLog, writer: number): Promise<void> {
  const id = pick(log.ids);
  const [first, second] = [...nodes].sort(() => Math.random() - 0.5);
  await Promise.all([edit(client, first, id, log, writer, false), edit(client, second, id, log, writer, false)]);
}

/** One writer's loop until `deadline`: creates, edits, deletes and conflicting edits on random nodes. */
export async function runWriter(
  client: LoadClient,
  nodes: ClusterNode[],
  log: WriteLog,
  writer: number,
  deadline: number,
): Promise<void> {
  while (Date.now() < deadline) {
    const node = pick(nodes);
    const roll = Math.random();
    if (log.ids.length < 20 || roll < 0.4) await create(client, node, log, writer);
    else if (roll < 0.7) await edit(client, node, pick(log.ids), log, writer, false);
    else if (roll < 0.8) await edit(client, node, pick(log.ids), log, writer, true);
    else await conflictingEdits(client, nodes, log, writer);
  }
}

/** Admin-triggered syncs at random nodes while the writers run, alongside the scheduler. */
export async function runAdminSyncs(client: LoadClient, nodes: ClusterNode[], deadline: number): Promise<number> {
  let syncs = 0;
  while (Date.now() < deadline) {
    await client.call(pick(nodes), 'POST', '/admin/sync', {});
    syncs++;
    await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1000));
  }
  return syncs;
}
