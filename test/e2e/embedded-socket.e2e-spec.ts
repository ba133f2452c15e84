import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessNode, buildNode, freePort, killAllNodes, spawnNode } from '../support/process-node';

/**
 * The embedded database has no password, so it must be reachable by this
 * node's process alone: a Unix socket inside DATA_DIR (mode 0700), no TCP
 * port; and one process per DATA_DIR. Real processes: PGlite cannot start
 * inside jest (see embedded.e2e-spec.ts).
 */
jest.setTimeout(120_000);

/** TCP ports `pid` listens on, from /proc: its socket inodes matched against the kernel's tables. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]].filter(Boolean);
      } catch {
        return [];
      }
    }),
  );
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is addr:port in hex; state 0A is LISTEN; field 9 is the inode.
      if (fields.length > 9 && fields[3] === '0A' && inodes.has(fields[9])) ports.push(parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports.sort();
}

describe('the embedded database of a node process', () => {
  let dataDir: string;

  beforeAll(() => {
    buildNode();
    dataDir = mkdtempSync(join(tmpdir(), 'ls-'));
  });

  afterAll(async () => {
    await killAllNodes();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function start(dir = dataDir): Promise<ProcessNode> {
    return freePort().then((port) =>
      spawnNode({ id: 'a', port, env: { DATA_DIR: dir, SYNC_INTERVAL_MS: '0' }, readyTimeoutMs: 90_000 }),
    );
  }

  it('is served on a Unix socket inside DATA_DIR, mode 0700, and on no TCP port', async () => {
    // A directory the node creates itself (mkdtemp would already be 0700).
    const dir = join(dataDir, 'created');
    const node = await start(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '.s.PGSQL.5432')).isSocket()).toBe(true);
    expect(listeningPorts(node.pid)).toEqual([node.port]);
    const created = await fetch(`${node.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { on: 'socket' } }),
    });
    expect(created.status).toBe(201);
  });

  it('refuses a second process on the same DATA_DIR with one clear line, and the first goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-'));
    const first = await start(dir);
    const second = start(dir).then(
      () => undefined,
      (error: Error) => error.message,
    );
    const refusal = await second;
    expect(refusal).toMatch(/exited \(code 1, signal null\) before it was healthy/);
    const output = refusal!.split('before it was healthy:\n')[1].trim();
    expect(output).toMatch(/^logsync: cannot start: DATA_DIR .+ is in use by another logsync process \(pid \d+\)$/);
    expect(output.split('\n')).toHaveLength(1);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    await first.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes over the lock of a process that was killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-'));
    try {
      const killed = await start(dir);
      await killed.kill('SIGKILL');
      const next = await start(dir);
      expect((await fetch(`${next.url}/health`)).status).toBe(200);
      await next.kill('SIGTERM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
