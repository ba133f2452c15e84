import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printReport } from './demo/report';
import { DemoNode, startMesh, stopMesh, waitHealthy } from './demo/mesh';
import { editConcurrently, writeSamples } from './demo/scenario';
import { syncPass } from './demo/sync';

/**
 * `npm run demo`: three nodes a, b, c, each its own process on the embedded
 * PostgreSQL (no server to install), peered as a full mesh. It writes sample
 * items, edits one item on two nodes at once, deletes one, syncs, shows that
 * the nodes agree and which edit won, then leaves the mesh running.
 * `--once` stops after the report: exit 0 only if the nodes converged.
 * `--base-port=N` uses ports N..N+2 instead of 3001..3003.
 */
const IDS = ['a', 'b', 'c'];
const CONFLICT_WINDOW_MS = 5000;
const SCHEDULE_MS = 10_000;
const MAIN = join(__dirname, '..', 'src', 'main.js');
const out = process.stdout;

interface Options {
  once: boolean;
  basePort: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { once: false, basePort: 3001 };
  for (const arg of argv) {
    const port = /^--base-port=(\d+)$/.exec(arg);
    if (arg === '--once') options.once = true;
    else if (port && Number(port[1]) > 0 && Number(port[1]) < 65533) options.basePort = Number(port[1]);
    else throw new Error(`unknown argument "${arg}" (use --once, --base-port=N)`);
  }
  return options;
}

/** Two passes over the mesh: after the first, the first node holds everything; the second hands it to the rest. */
async function syncMesh(nodes: DemoNode[]): Promise<boolean> {
  let ok = true;
  for (let pass = 1; pass <= 2; pass++) {
    out.write(`  pass ${pass}\n`);
    ok = (await syncPass(nodes)) && ok;
  }
  return ok;
}

async function scenario(nodes: DemoNode[]): Promise<boolean> {
  out.write('\n1. Each node writes its own items; a also writes "team lunch"\n');
  const { sharedId, deletedId } = await writeSamples(nodes);
  out.write('2. Sync the mesh (POST /admin/sync on each node; progress from GET /admin/peers)\n');
  let ok = await syncMesh(nodes);
  out.write(`3. a and b edit "team lunch" at the same moment; b deletes one of c's items\n`);
  const edits = await editConcurrently(nodes, sharedId, deletedId);
  for (const edit of edits.edits)
    out.write(`  ${edit.node} wrote ${JSON.stringify(edit.version.data)} at ${edit.version.updatedAt}\n`);
  out.write('4. Sync the mesh again\n');
  ok = (await syncMesh(nodes)) && ok;
  const converged = await printReport(nodes, edits, CONFLICT_WINDOW_MS);
  return ok && converged;
}

function printUsage(nodes: DemoNode[]): void {
  const [a, b] = nodes;
  out.write(`
The mesh keeps running, each node syncing with its peers every ${SCHEDULE_MS / 1000} s:
${nodes.map((node) => `  ${node.id}: ${node.url}   status page ${node.url}/status   log ${node.logFile}`).join('\n')}

Try it:
  curl -s -X POST ${a.url}/items -H 'Content-Type: application/json' -d '{"data":{"hello":"from a"}}'
  curl -s ${b.url}/items                      # on b after the next sync (within ${SCHEDULE_MS / 1000} s)
  curl -s -X POST ${b.url}/admin/sync          # sync b with every peer now
  curl -s ${b.url}/admin/peers                 # peer states, last results
  curl -s ${a.url}/admin/conflicts             # versions that lost, kept
  curl -s ${a.url}/openapi.json                # the whole API (browsable at ${a.url}/docs)

Stop with Ctrl-C: every node stops cleanly and the demo's data is removed.
`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'logsync-demo-'));
  const secret = randomBytes(32).toString('hex');
  const priorities = { b: 1 };
  const syncIntervalMs = options.once ? 0 : SCHEDULE_MS;
  const ports = `${options.basePort}-${options.basePort + 2}`;
  out.write(`logsync demo: starting nodes ${IDS.join(', ')} on ports ${ports}, embedded PostgreSQL under ${root}\n`);
  out.write(
    `  full mesh, one SYNC_SECRET generated for this run, CONFLICT_WINDOW_MS=${CONFLICT_WINDOW_MS}, NODE_PRIORITY b=1 (a, c: 0)\n`,
  );
  const nodes = startMesh(MAIN, {
    ids: IDS,
    basePort: options.basePort,
    root,
    secret,
    syncIntervalMs,
    conflictWindowMs: CONFLICT_WINDOW_MS,
    priorities,
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopMesh(nodes).finally(() => rmSync(root, { recursive: true, force: true })));
  process.once('exit', () => nodes.forEach((node) => node.process.exitCode === null && node.process.kill('SIGKILL')));
  try {
    await waitHealthy(nodes, 90_000);
    out.write(`  all three nodes up after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const ok = await scenario(nodes);
    out.write(`\n${ok ? 'Converged' : 'NOT converged'} in ${((Date.now() - started) / 1000).toFixed(1)} s from start.\n`);
    if (options.once) {
      await stop();
      return ok ? 0 : 1;
    }
    printUsage(nodes);
  } catch (error) {
    process.stderr.write(`logsync demo: ${(error as Error).message}\n`);
    await stop();
    return 1;
  }
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    nodes.forEach((node) => void node.exited.then(() => resolve()));
  });
  out.write('\nstopping every node…\n');
  await stop();
  out.write('stopped.\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`logsync demo: ${(error as Error)?.message ?? error}\n`);
    process.exit(1);
  },
);
