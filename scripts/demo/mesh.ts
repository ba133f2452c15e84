import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The variables of API.md: a demo node gets only the ones set here, never the caller's (no DATABASE_URL). */
const NODE_VARIABLES = [
  'NODE_ID',
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATA_DIR',
  'PUBLIC_URL',
  'PEERS',
  'SYNC_SECRET',
  'API_TOKEN',
  'SYNC_INTERVAL_MS',
  'NODE_PRIORITY',
  'CONFLICT_WINDOW_MS',
  'CLOCK_OFFSET_MS',
  'SYNC_DEBOUNCE_MS',
  'MAX_FUTURE_MS',
  'LOG_FORMAT',
];

export interface MeshOptions {
  ids: string[];
  basePort: number;
  /** Each node's DATA_DIR and log file live under it. */
  root: string;
  secret: string;
  syncIntervalMs: number;
  conflictWindowMs: number;
  priorities: Record<string, number>;
}

export interface DemoNode {
  id: string;
  url: string;
  priority: number;
  logFile: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

function nodeEnv(options: MeshOptions, id: string, index: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of NODE_VARIABLES) delete env[name];
  const peers = options.ids
    .map((peer, i) => (peer === id ? '' : `${peer}=http://127.0.0.1:${options.basePort + i}`))
    .filter(Boolean)
    .join(',');
  return {
    ...env,
    NODE_ID: id,
    PORT: String(options.basePort + index),
    DATA_DIR: join(options.root, id),
    PEERS: peers,
    SYNC_SECRET: options.secret,
    SYNC_INTERVAL_MS: String(options.syncIntervalMs),
    // Near-live sync follows the scheduler: off while the demo drives every round itself.
    SYNC_DEBOUNCE_MS: options.syncIntervalMs === 0 ? '0' : '500',
    CONFLICT_WINDOW_MS: String(options.conflictWindowMs),
    NODE_PRIORITY: String(options.priorities[id] ?? 0),
  };
}

/** Starts one `node dist/src/main.js` per id, in its own process group so the demo alone decides when it stops. */
export function startMesh(main: string, options: MeshOptions): DemoNode[] {
  return options.ids.map((id, index) => {
    const logFile = join(options.root, `${id}.log`);
    const log = createWriteStream(logFile);
    const child = spawn(process.execPath, [main], {
      env: nodeEnv(options, id, index),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return {
      id,
      url: `http://127.0.0.1:${options.basePort + index}`,
      priority: options.priorities[id] ?? 0,
      logFile,
      process: child,
      exited,
    };
  });
}

/** Resolves once every node answers 200 on GET /health; throws naming the node that exited or never did. */
export async function waitHealthy(nodes: DemoNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    nodes.map(async (node) => {
      for (;;) {
        if (node.process.exitCode !== null)
          throw new Error(`node ${node.id} exited with code ${node.process.exitCode} (see ${node.logFile})`);
        const ok = await fetch(`${node.url}/health`, { signal: AbortSignal.timeout(1000) }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline)
          throw new Error(`node ${node.id} not healthy after ${timeoutMs / 1000} s (see ${node.logFile})`);
        await sleep(200);
      }
    }),
  );
}

/** SIGTERM to every node still running (each closes its database), then waits; SIGKILL after `graceMs`. */
export async function stopMesh(nodes: DemoNode[], graceMs = 15_000): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      if (node.process.exitCode !== null || node.process.signalCode !== null) return;
      node.process.kill('SIGTERM');
      const timer = setTimeout(() => node.process.kill('SIGKILL'), graceMs);
      await node.exited;
      clearTimeout(timer);
    }),
  );
}
