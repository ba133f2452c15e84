import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildNode, ROOT } from '../support/process-node';
import { freePort } from '../support/ports';

/**
 * `npm run demo -- --once` as a newcomer runs it (after the build): three node
 * processes on the embedded PostgreSQL, a conflict, a delete, and a report
 * whose digests agree; exit 0 only when the nodes converged.
 */
jest.setTimeout(150_000);

/** A base port whose next two ports are free too. */
async function freeBasePort(): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base > 65000) continue;
    const probes = await Promise.all([1, 2].map(() => freePort()));
    if (!probes.includes(base + 1) && !probes.includes(base + 2)) return base;
  }
}

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'demo.js'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm run demo -- --once', () => {
  beforeAll(buildNode);

  it('starts three nodes, syncs them, reports one digest and the conflict, and exits 0', async () => {
    const { code, output } = await runDemo(['--once', `--base-port=${await freeBasePort()}`]);
    expect({ code, output }).toMatchObject({ code: 0 });
    const rows = [...output.matchAll(/^ {2}([abc]) +(\d+) +410 gone +([0-9a-f]{16})$/gm)];
    expect(rows.map((row) => row[1])).toEqual(['a', 'b', 'c']);
    expect(new Set(rows.map((row) => row[3])).size).toBe(1);
    // Nine live items: three written on each node plus the shared one, less the one deleted.
    expect(rows.map((row) => Number(row[2]))).toEqual([9, 9, 9]);
    expect(output).toContain('all nodes agree: converged');
    const conflict =
      /conflict \(kept by node \w, found syncing with \w\):\n +winner: ([ab])'s .*\n +loser: +([ab])'s .*\n +why: +(.*)/;
    const [, winner, loser, why] = conflict.exec(output) ?? [];
    expect([winner, loser].sort()).toEqual(['a', 'b']);
    expect(why).toMatch(/NODE_PRIORITY 1 beats|later/);
    expect(output).toMatch(/rule: .*wins on every node/);
  });

  it('refuses an unknown argument with a non-zero exit', async () => {
    const { code, output } = await runDemo(['--bogus']);
    expect(code).not.toBe(0);
    expect(output).toContain('unknown argument "--bogus"');
  });
});
