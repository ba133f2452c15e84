import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { fingerprintOf } from '../../src/core/fingerprint';
import type { SyncResultBody } from './cluster';

/** A JSON call to a node over real HTTP (global fetch), with the bearer token when given. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a node's JSON answer, read by each test field by field
export async function callNode<T = any>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
}

/** POST /admin/sync with one peer; throws unless the node answers 200, returns that peer's result. */
export async function syncWith(url: string, peer: string, token?: string): Promise<SyncResultBody> {
  const { status, body } = await callNode<{ results: SyncResultBody[] }>(url, 'POST', '/admin/sync', {
    token,
    body: { peers: [peer] },
    timeoutMs: 110_000,
  });
  if (status !== 200) throw new Error(`POST /admin/sync on ${url}: ${status} ${JSON.stringify(body)}`);
  return body.results[0];
}

export type { SyncResultBody } from './cluster';

/** A version as PUT /items/transactions takes it: about `bytes` of data and its true fingerprint. */
export function aBulkEntry(origin: string, n: number, bytes = 1000) {
  const data = {
    n,
    pad: randomBytes(Math.ceil(bytes / 2))
      .toString('hex')
      .slice(0, bytes),
  };
  return {
    itemId: randomUUID(),
    updatedAt: new Date().toISOString(),
    fingerprint: fingerprintOf(data, false),
    deleted: false,
    origin,
    priority: 0,
    data,
  };
}

/**
 * Writes `count` new items into a node through PUT /items/transactions, in
 * batches of `batch` (the node must accept the bearer `token` there).
 */
export async function seedItems(
  url: string,
  token: string,
  origin: string,
  count: number,
  options: { batch?: number; bytes?: number; first?: number } = {},
): Promise<void> {
  const batch = options.batch ?? 1000;
  const first = options.first ?? 0;
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    const entries = Array.from({ length: size }, (_, i) => aBulkEntry(origin, first + done + i, options.bytes));
    const { status, body } = await callNode(url, 'PUT', '/items/transactions', { token, body: { node: origin, entries } });
    if (status !== 200 || body.applied !== size) {
      throw new Error(`seeding ${url}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
    }
  }
}

/** A connected pg client on one test database; end it in afterAll. */
export async function connectTo(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Number of items and a digest of every (id, fingerprint): equal digests mean equal collections. */
export async function itemsDigest(client: Client): Promise<{ count: number; digest: string }> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS count, coalesce(md5(string_agg(id::text || ':' || fingerprint, ',' ORDER BY id)), '') AS digest FROM items`,
  );
  return rows[0];
}

export async function countItems(client: Client): Promise<number> {
  const { rows } = await client.query(`SELECT count(*)::int AS count FROM items`);
  return rows[0].count;
}
