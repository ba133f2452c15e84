import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { request } from 'undici';

/**
 * `npm run bench:live`: near-live latency on a chain a–b–c of real node
 * processes, the scheduler off. Writes on a, one at a time and paced, and
 * follows c's log to see when each arrives; prints p50 and p99 of
 * write-to-visible. Prints, never asserts.
 *   BENCH_LIVE_WRITES   writes on a (default 200)
 *   BENCH_LIVE_PACE_MS  pause between writes (default 25)
 *   BENCH_LIVE_DEBOUNCE SYNC_DEBOUNCE_MS of the nodes (default: the node's default, 500)
 *   BENCH_PG_URL        an administrative connection (default postgres@127.0.0.1:5432)
 */
const WRITES = Number(process.env.BENCH_LIVE_WRITES ?? 200);
const PACE_MS = Number(process.env.BENCH_LIVE_PACE_MS ?? 25);
const DEBOUNCE = process.env.BENCH_LIVE_DEBOUNCE;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = randomBytes(16).toString('hex');
const TOKEN = randomBytes(16).toString('hex');
const LINKS: Record<string, string[]> = { a: ['b'], b: ['a', 'c'], c: ['b'] };

export interface NearLiveFigures {
  writes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function dbUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function call<T>(port: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await request(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${path} on :${port} answered ${response.statusCode}`);
  return (await response.body.json()) as T;
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await request(`http://127.0.0.1:${port}/health`).then(
      (r) => r.body.dump().then(() => r.statusCode === 200),
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`node on port ${port} did not start`);
}

function startNode(id: string, db: string, ports: Record<string, number>): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ID: id,
    PORT: String(ports[id]),
    DATABASE_URL: dbUrl(db),
    SYNC_SECRET: SECRET,
    API_TOKEN: TOKEN,
    PEERS: LINKS[id].map((peer) => `${peer}=http://127.0.0.1:${ports[peer]}`).join(','),
    SYNC_INTERVAL_MS: '0',
  };
  if (DEBOUNCE !== undefined) env.SYNC_DEBOUNCE_MS = DEBOUNCE;
  else delete env.SYNC_DEBOUNCE_MS;
  return spawn(process.execPath, [resolve(__dirname, '../src/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Follows c's log until every written id arrived, noting when each was first seen. */
async function follow(port: number, written: Map<string, number>, seen: Map<string, number>, done: () => boolean): Promise<void> {
  let cursor: string | undefined;
  while (!done() || seen.size < written.size) {
    const query = new URLSearchParams({ limit: '1000' });
    if (cursor) query.set('after', cursor);
    const page = await call<{ entries: { itemId: string }[]; cursor: string; hasMore: boolean }>(
      port,
      'GET',
      `/items/transactions?${query}`,
    );
    const now = performance.now();
    for (const entry of page.entries) if (!seen.has(entry.itemId)) seen.set(entry.itemId, now);
    cursor = page.cursor;
    if (!page.hasMore) await sleep(5);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs the measurement on its own databases and processes, and cleans up after itself. */
export async function benchNearLive(): Promise<NearLiveFigures> {
  const ids = Object.keys(LINKS);
  const dbs = Object.fromEntries(ids.map((id) => [id, `bench_live_${id}`]));
  const ports = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await freePort()] as const)));
  const nodes: ChildProcess[] = [];
  for (const db of Object.values(dbs))
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).then(() => admin(`CREATE DATABASE ${db}`));
  try {
    for (const id of ids) nodes.push(startNode(id, dbs[id], ports));
    await Promise.all(ids.map((id) => waitHealthy(ports[id])));
    const written = new Map<string, number>();
    const seen = new Map<string, number>();
    let writing = true;
    const following = follow(ports.c, written, seen, () => !writing);
    for (let i = 0; i < WRITES; i++) {
      const started = performance.now();
      const item = await call<{ id: string }>(ports.a, 'POST', '/items', { data: { n: i, at: new Date().toISOString() } });
      written.set(item.id, started);
      await sleep(PACE_MS);
    }
    writing = false;
    await Promise.race([
      following,
      sleep(60_000).then(() => Promise.reject(new Error(`only ${seen.size}/${WRITES} writes reached c in 60 s`))),
    ]);
    const latencies = [...written].map(([id, at]) => seen.get(id)! - at).sort((x, y) => x - y);
    return {
      writes: WRITES,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1],
    };
  } finally {
    for (const node of nodes) node.kill('SIGTERM');
    await Promise.all(nodes.map((node) => (node.exitCode === null ? once(node, 'exit') : undefined)));
    for (const db of Object.values(dbs)) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
}

export function describeNearLive(figures: NearLiveFigures): string {
  const debounce = DEBOUNCE ?? 'default';
  return [
    `near-live sync, chain a-b-c, scheduler off, SYNC_DEBOUNCE_MS ${debounce}: ${figures.writes} writes on a, one every ~${PACE_MS} ms`,
    `  write on a -> visible in c's log   p50 ${figures.p50Ms.toFixed(0)} ms, p99 ${figures.p99Ms.toFixed(0)} ms, max ${figures.maxMs.toFixed(0)} ms`,
  ].join('\n');
}

if (require.main === module) {
  benchNearLive().then(
    (figures) => console.log(describeNearLive(figures)),
    (error: unknown) => {
      console.error(`bench:live failed: ${(error as Error)?.stack ?? error}`);
      process.exit(1);
    },
  );
}
