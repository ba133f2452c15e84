import request from 'supertest';
import { anItem } from '../factories/items';
import { Cluster, SyncResultBody, olderTransactionsEnded } from './cluster';
import { TestNode } from './node';

/** `POST /admin/sync` from `node` once every write so far shows in every log; throws unless 200. */
export async function syncFrom(
  node: TestNode,
  headers: Record<string, string> = {},
  peers?: string[],
): Promise<SyncResultBody[]> {
  await olderTransactionsEnded();
  const res = await request(node.url)
    .post('/admin/sync')
    .set(headers)
    .send(peers ? { peers } : {});
  if (res.status !== 200) throw new Error(`sync from ${node.id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.results;
}

export async function putItem(node: TestNode, id: string, data: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await request(node.url).put(`/items/${id}`).set(headers).send({ data });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT on ${node.id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface MadeConflict {
  itemId: string;
  /** a's edit: the loser, as b's edit is the later one. */
  onA: { data: Record<string, unknown>; fingerprint: string; updatedAt: string };
  onB: { data: Record<string, unknown>; fingerprint: string; updatedAt: string };
}

/**
 * An item both `a` and `b` edited concurrently, then synced from `a`: `a`
 * keeps one open record (winner b's later edit, loser a's), both hold b's edit.
 */
export async function makeConflict(cluster: Cluster, headers: Record<string, string> = {}, label = 'x'): Promise<MadeConflict> {
  const { a, b } = cluster.nodes;
  const created = await request(a.url).post('/items').set(headers).send(anItem()).expect(201);
  const itemId: string = created.body.id;
  await syncFrom(a, headers, ['b']);
  const onA = await putItem(a, itemId, { edited: `${label} on a` }, headers);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const onB = await putItem(b, itemId, { edited: `${label} on b` }, headers);
  const [result] = await syncFrom(a, headers, ['b']);
  if (!result.ok || result.conflicts !== 1) throw new Error(`expected one conflict: ${JSON.stringify(result)}`);
  return { itemId, onA, onB };
}
