import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';

/** An administrative connection to the PostgreSQL the nodes use (default: this machine's). */
const ADMIN_URL = process.env.LOAD_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MAIN = join(__dirname, '..', '..', 'src', 'main.js');

export interface ClusterNode {
  id: string;
  url: string;
  process: ChildProcess;
}

export interface Cluster {
  nodes: ClusterNode[];
  token: string;
  stop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function waitHealthy(node: ClusterNode): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (node.process.exitCode !== null) throw new Error(`node ${node.id} exited with code ${node.process.exitCode}`);
    const ok = await fetch(`${node.url}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`node ${node.id} did not become healthy`);
}

/**
 * Starts `count` node processes (ids a, b, c, …) as a full mesh, each on a
 * fresh database of its own, with the scheduler at `intervalMs`.
 */
export async function startCluster(count: number, intervalMs: number): Promise<Cluster> {
  const ids = Array.from({ length: count }, (_, i) => String.fromCharCode(97 + i));
  const ports = await Promise.all(ids.map(() => freePort()));
  const run = randomBytes(3).toString('hex');
  const databases = ids.map((id) => `logsync_load_${id}_${run}`);
  const secret = randomBytes(24).toString('hex');
  const token = randomBytes(24).toString('hex');
  for (const name of databases) await admin(`CREATE DATABASE ${name}`);
  const nodes = ids.map((id, i) => {
    const peers = ids.flatMap((peer, j) => (j === i ? [] : [`${peer}=http://127.0.0.1:${ports[j]}`])).join(',');
    const env = {
      PATH: process.env.PATH,
      NODE_ID: id,
      PORT: String(ports[i]),
      DATABASE_URL: databaseUrl(databases[i]),
      PEERS: peers,
      SYNC_SECRET: secret,
      API_TOKEN: token,
      SYNC_INTERVAL_MS: String(intervalMs),
    };
    const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    return { id, url: `http://127.0.0.1:${ports[i]}`, process: child };
  });
  const stop = async () => {
    for (const node of nodes) if (node.process.exitCode === null) node.process.kill('SIGTERM');
    await Promise.all(nodes.map((node) => (node.process.exitCode === null ? once(node.process, 'exit') : undefined)));
    for (const name of databases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    await Promise.all(nodes.map(waitHealthy));
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, token, stop };
}
