import type { ClusterNode } from './cluster';
import type { LoadClient } from './client';
import type { Ack } from './writers';

/** Syncs every node with all its peers until one whole pass moves nothing; returns the passes it took. */
export async function quiesce(client: LoadClient, nodes: ClusterNode[], maxPasses = 30): Promise<number> {
  for (let pass = 1; pass <= maxPasses; pass++) {
    let moved = 0;
    let failed = 0;
    for (const node of nodes) {
      const answer = await client.call(node, 'POST', '/admin/sync', {});
      for (const result of answer.body?.results ?? []) {
        moved += result.pulled + result.pushed;
        if (!result.ok) failed++;
      }
    }
    if (moved === 0 && failed === 0) return pass;
  }
  throw new Error(`the cluster still moved versions after ${maxPasses} sync passes`);
}

/** Every item's current fingerprint on `node`, read from its log. */
export async function versionsOn(client: LoadClient, node: ClusterNode): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    const query = after === undefined ? '' : `&after=${encodeURIComponent(after)}`;
    const page = (await client.call(node, 'GET', `/items/transactions?limit=10000${query}`)).body;
    for (const entry of page.entries) versions.set(entry.itemId, entry.fingerprint);
    if (!page.hasMore) return versions;
    after = page.cursor;
  }
}

/** `itemId loserFingerprint` of every conflict record on `node`. */
async function losersOn(client: LoadClient, node: ClusterNode): Promise<Set<string>> {
  const losers = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const query = after === undefined ? '' : `&after=${encodeURIComponent(after)}`;
    const page = (await client.call(node, 'GET', `/admin/conflicts?limit=1000${query}`)).body;
    for (const record of page.conflicts) losers.add(`${record.itemId} ${record.loser.fingerprint}`);
    if (!page.next) return losers;
    after = page.next;
  }
}

/** Items whose version is not the same on every node. */
export function divergentItems(states: Map<string, string>[]): number {
  const ids = new Set(states.flatMap((state) => [...state.keys()]));
  return [...ids].filter((id) => new Set(states.map((state) => state.get(id))).size > 1).length;
}

/**
 * Acknowledged writes that are gone without a trace. A write is accounted for
 * when its version is the item's final one, when a later acknowledged write
 * was made over it (If-Match on its fingerprint), or when it lost a conflict
 * and a node recorded it as the loser.
 */
export async function lostWrites(
  client: LoadClient,
  nodes: ClusterNode[],
  acks: Ack[],
  final: Map<string, string>,
): Promise<Ack[]> {
  const replaced = new Set(acks.flatMap((ack) => (ack.replaced ? [`${ack.itemId} ${ack.replaced}`] : [])));
  const losers = new Set<string>();
  for (const node of nodes) for (const loser of await losersOn(client, node)) losers.add(loser);
  return acks.filter((ack) => {
    const key = `${ack.itemId} ${ack.fingerprint}`;
    return final.get(ack.itemId) !== ack.fingerprint && !replaced.has(key) && !losers.has(key);
  });
}
