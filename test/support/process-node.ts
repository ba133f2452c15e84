import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: `dist/src/main.js` is what `npm start` runs. */
export const ROOT = join(__dirname, '..', '..');
/** LOGSYNC_TEST_DIST runs the processes from another build (e.g. a deliberately broken one, to see a test fail). */
export const MAIN = join(ROOT, process.env.LOGSYNC_TEST_DIST ?? 'dist', 'src', 'main.js');

/** The variables of API.md: never inherited from the test runner's environment, only passed on purpose. */
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
  'MAX_FUTURE_MS',
  'SYNC_DEBOUNCE_MS',
  'LOG_FORMAT',
  'DB_POOL_SIZE',
  'DB_ACQUIRE_TIMEOUT_MS',
  'DB_STATEMENT_TIMEOUT_MS',
  'HEALTH_TIMEOUT_MS',
  'PEER_TIMEOUT_MS',
];

/** Output kept per process: the tail is what explains a failure. */
const MAX_OUTPUT = 256 * 1024;

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * Compiles the node the way `npm run build` does, so the tests run what
 * `npm start` runs; skipped when `dist/` is newer than every source, so test
 * files running one after another build once.
 */
export function buildNode(): void {
  const built = statSync(MAIN, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...['src', 'migrations', 'scripts'].map((dir) => newestSource(join(ROOT, dir))));
  if (process.env.LOGSYNC_TEST_DIST) return;
  if (built <= sources) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  }
  // The status page's static files, as `npm run build` copies them (cheap: copied every time).
  cpSync(join(ROOT, 'src/status/assets'), join(ROOT, 'dist/src/status/assets'), { recursive: true });
}

export { freePort } from './ports';

export interface ProcessNodeOptions {
  /** NODE_ID; also the label in failure messages. */
  id: string;
  port: number;
  /** Environment as API.md names it; NODE_ID and PORT are filled in. */
  env?: Record<string, string>;
  /** How long the node may take to answer 200 on GET /health. */
  readyTimeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One node running as a real OS process (`node dist/src/main.js`). */
export interface ProcessNode {
  id: string;
  port: number;
  url: string;
  pid: number;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<Exit>;
  /** Undefined while the process runs. */
  exit(): Exit | undefined;
  /** stdout and stderr interleaved as they arrived (the tail, if long). */
  output(): string;
  /** Sends `signal` (default SIGKILL) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Every process started through this module and not yet reaped, so a failed test cannot leak one. */
const live = new Set<ProcessNode>();

process.once('exit', () => {
  for (const node of live) {
    try {
      process.kill(node.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function nodeEnv(options: ProcessNodeOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of NODE_VARIABLES) delete env[name];
  return { ...env, NODE_ID: options.id, PORT: String(options.port), ...options.env };
}

/** Starts a node process and resolves once GET /health answers 200; rejects (and kills it) if it never does. */
export async function spawnNode(options: ProcessNodeOptions): Promise<ProcessNode> {
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: nodeEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const capture = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (text.length > MAX_OUTPUT) text = text.slice(text.length - MAX_OUTPUT);
  };
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);
  let ended: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      live.delete(node);
      resolve(ended);
    });
  });
  const url = `http://127.0.0.1:${options.port}`;
  const node: ProcessNode = {
    id: options.id,
    port: options.port,
    url,
    pid: child.pid!,
    exited,
    exit: () => ended,
    output: () => text,
    async kill(signal = 'SIGKILL') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
  live.add(node);
  try {
    await waitUntilHealthy(node, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await node.kill();
    throw error;
  }
  return node;
}

async function waitUntilHealthy(node: ProcessNode, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ended = node.exit();
    if (ended) {
      throw new Error(
        `node ${node.id} exited (code ${ended.code}, signal ${ended.signal}) before it was healthy:\n${node.output()}`,
      );
    }
    try {
      const response = await fetch(`${node.url}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`node ${node.id} not healthy after ${timeoutMs} ms:\n${node.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kills every node process this test file started that is still running (for afterAll). */
export async function killAllNodes(): Promise<void> {
  await Promise.all([...live].map((node) => node.kill('SIGKILL')));
}
