import { createHash } from 'node:crypto';
import type { ItemView } from '../../src/items/item.view';

/** The item shape of API.md, as the demo reads it. */
export type ItemVersion = ItemView;

export async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface NodeState {
  live: number;
  /** First 16 hex of SHA-256 over every live (id, fingerprint), sorted by id. */
  digest: string;
}

/** Reads every live item of a node through the items API (the log routes are for peers once SYNC_SECRET is set). */
export async function nodeState(url: string): Promise<NodeState> {
  const lines: string[] = [];
  for (let after: string | null = ''; after !== null;) {
    const query = new URLSearchParams({ limit: '1000', ...(after ? { after } : {}) });
    const page: { items: ItemVersion[]; next: string | null } = await call('GET', `${url}/items?${query}`);
    lines.push(...page.items.map((item) => `${item.id} ${item.fingerprint}`));
    after = page.next;
  }
  const digest = createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
  return { live: lines.length, digest };
}

/** The status of GET /items/:id: 410 for a tombstone, the delete having reached that node. */
export async function itemStatus(url: string, id: string): Promise<number> {
  const response = await fetch(`${url}/items/${id}`, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
}
