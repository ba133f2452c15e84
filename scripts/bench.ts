import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { request } from 'undici';
import { fingerprintOf } from '../src/core/fingerprint';
import { MIGRATIONS } from '../src/db/schema';

/**
 * `npm run bench`: the figures behind the product's targets, on the local
 * PostgreSQL. Prints, never asserts: tests check behaviour, this measures.
 *   BENCH_ITEMS  items in the collection (default 100000, ~1 KiB each)
 *   BENCH_PG_URL an administrative connection (default postgres@127.0.0.1:5432)
 *   BENCH_NODE_ARGS extra node flags for the two nodes, e.g. --cpu-prof
 */
const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NOOP_RUNS = 20;
const SECRET = randomBytes(16).toString('hex');
const TOKEN = randomBytes(16).toString('hex');
const COLUMNS = 'id, data, deleted, updated_ms, origin, priority, fingerprint, pos_xid, pos_seq';

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

async function query<T>(db: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: dbUrl(db) });
  await client.connect();
  return (await client.query(sql).finally(() => client.end())).rows;
}

/** A CSV of the collection in the items table's own shape, fingerprints included. */
async function writeCollection(path: string): Promise<void> {
  const out = createWriteStream(path);
  const now = Date.now();
  for (let i = 0; i < ITEMS; i++) {
    const data = { title: `item ${i}`, n: i, body: randomBytes(480).toString('hex') };
    const row = [randomUUID(), `"${JSON.stringify(data).replace(/"/g, '""')}"`, 'f', now, 'a', 0, fingerprintOf(data, false), 1, i + 1];
    if (!out.write(`${row.join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function migrate(db: string): Promise<void> {
  const source = new DataSource({ type: 'postgres', url: dbUrl(db), migrations: MIGRATIONS });
  await source.initialize();
  await source.runMigrations();
  await source.destroy();
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function startNode(id: string, port: number, peer: string, peerPort: number): ChildProcess {
  const env = {
    ...process.env, NODE_ID: id, PORT: String(port), DATABASE_URL: dbUrl(`bench_${id}`),
    PEERS: `${peer}=http://127.0.0.1:${peerPort}`, SYNC_SECRET: SECRET, API_TOKEN: TOKEN, SYNC_INTERVAL_MS: '0',
  };
  const flags = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawn(process.execPath, [...flags, resolve(__dirname, '../src/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function call(port: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const response = await request(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.body.json();
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await request(`http://127.0.0.1:${port}/health`).then((r) => r.body.dump().then(() => r.statusCode === 200), () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node on port ${port} did not start`);
}

/** Peak resident memory of a process, in MiB. */
function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const csv = join(tmpdir(), `logsync-bench-${process.pid}.csv`);
  const nodes: ChildProcess[] = [];
  for (const db of ['bench_copy', 'bench_a', 'bench_b']) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).then(() => admin(`CREATE DATABASE ${db}`));
  try {
    console.log(`logsync bench: ${ITEMS} items of ~1 KiB`);
    await writeCollection(csv);
    await migrate('bench_copy');
    const copy = await timed(() => query('bench_copy', `COPY items (${COLUMNS}) FROM '${csv}' WITH (FORMAT csv)`));
    console.log(`  PostgreSQL COPY of the rows:       ${copy.ms.toFixed(0)} ms`);

    nodes.push(startNode('a', 39101, 'b', 39102), startNode('b', 39102, 'a', 39101));
    await Promise.all([waitHealthy(39101), waitHealthy(39102)]);
    await query('bench_a', `COPY items (${COLUMNS}) FROM '${csv}' WITH (FORMAT csv)`);
    await query('bench_a', `SELECT setval('items_pos_seq', ${ITEMS})`);

    const initial = await timed(() => call(39102, 'POST', '/admin/sync', { peers: ['a'] }));
    const result = initial.value.results[0];
    const [{ n }] = await query<{ n: number }>('bench_b', 'SELECT count(*)::int AS n FROM items');
    console.log(`  initial sync a -> b:               ${initial.ms.toFixed(0)} ms (pulled ${result.pulled}, ok ${result.ok}, b holds ${n})`);
    console.log(`  initial sync / COPY:               ${(initial.ms / copy.ms).toFixed(2)}x   (target <= 2x)`);

    const noops: number[] = [];
    for (let i = 0; i < NOOP_RUNS; i++) noops.push((await timed(() => call(39102, 'POST', '/admin/sync', { peers: ['a'] }))).ms);
    console.log(`  no-op sync, median of ${NOOP_RUNS}:          ${median(noops).toFixed(1)} ms   (target < 10 ms)`);
    console.log(`  peak RSS node a / node b:          ${peakRssMiB(nodes[0].pid!)} / ${peakRssMiB(nodes[1].pid!)} MiB   (target < 150 MB)`);
  } finally {
    for (const node of nodes) node.kill('SIGTERM');
    await Promise.all(nodes.map((node) => (node.exitCode === null ? once(node, 'exit') : undefined)));
    for (const db of ['bench_copy', 'bench_a', 'bench_b']) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    rmSync(csv, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error)?.stack ?? error}`);
  process.exit(1);
});
