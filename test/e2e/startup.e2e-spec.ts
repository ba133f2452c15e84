import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { MIGRATIONS } from '../../src/db/schema';
import { createDatabase } from '../support/database';
import { MAIN, buildNode, freePort } from '../support/process-node';

/** The built node as a real process, the way `npm start` runs it. */
jest.setTimeout(120_000);

/** API.md promises a quick exit on a bad start; longer than this counts as hanging. */
const EXIT_WITHIN_MS = 20_000;

let workDir: string;

/** Only the variables given: nothing from the test runner's environment leaks into the node. */
function spawnNode(env: Record<string, string>): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, [MAIN], {
    cwd: workDir,
    env: { PATH: process.env.PATH, SYNC_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { child, stderr: () => stderr };
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

/** Resolves when the process ends; kills it (and says so) if it is still running after `timeoutMs`. */
function ended(child: ChildProcess, timeoutMs: number): Promise<Ended & { killed: boolean }> {
  const start = Date.now();
  return new Promise((done) => {
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      done({ code: child.exitCode, signal: child.signalCode, ms: Date.now() - start, killed });
    };
    if (child.exitCode !== null || child.signalCode !== null) finish();
    else child.once('exit', finish);
  });
}

/** Runs the node with `env` to its end. */
async function runToExit(env: Record<string, string>) {
  const { child, stderr } = spawnNode(env);
  const end = await ended(child, EXIT_WITHIN_MS + 10_000);
  return {
    ...end,
    stderrLines: stderr()
      .split('\n')
      .filter((line) => line.trim() !== ''),
  };
}

interface Serving {
  url: string;
  /** SIGTERM and wait; resolves with how it ended. */
  stop(): Promise<Ended & { killed: boolean }>;
}

const serving: Serving[] = [];

/** Starts the node and waits until GET /health answers 200. */
async function startServing(env: Record<string, string>): Promise<Serving> {
  const port = await freePort();
  const { child, stderr } = spawnNode({ PORT: String(port), ...env });
  const node: Serving = {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return ended(child, 10_000);
    },
  };
  serving.push(node);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}: ${stderr()}`);
    const health = await request(node.url)
      .get('/health')
      .catch(() => undefined);
    if (health?.status === 200) return node;
    if (Date.now() > deadline) throw new Error(`node did not answer /health within 30 s: ${stderr()}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

beforeAll(() => {
  buildNode();
  workDir = mkdtempSync(join(tmpdir(), 'logsync-startup-'));
});

afterEach(async () => {
  await Promise.all(serving.splice(0).map((node) => node.stop()));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('a node started with a bad configuration', () => {
  /** A database nobody listens on: a node whose config check misses something cannot start for real. */
  let deadDatabase: string;
  beforeAll(async () => {
    deadDatabase = `postgres://postgres:s3cret-pw@127.0.0.1:${await freePort()}/logsync`;
  });

  it.each<{ variable: string; env: Record<string, string> }>([
    { variable: 'NODE_ID', env: { NODE_ID: 'Bad!' } },
    { variable: 'PORT', env: { PORT: 'x' } },
    { variable: 'SYNC_SECRET', env: { PEERS: 'b=http://127.0.0.1:1' } },
    { variable: 'HOST', env: { HOST: '0.0.0.0' } },
    { variable: 'SYNC_SECRET', env: { SYNC_SECRET: 'x'.repeat(31) } },
    { variable: 'API_TOKEN', env: { API_TOKEN: 'x'.repeat(31) } },
    { variable: 'MAX_FUTURE_MS', env: { MAX_FUTURE_MS: 'soon' } },
  ])('exits non-zero with one line on stderr naming $variable ($env)', async ({ variable, env }) => {
    const result = await runToExit({ DATABASE_URL: deadDatabase, ...env });
    expect(result).toMatchObject({ killed: false, signal: null });
    expect(result.code).not.toBe(0);
    expect(result.stderrLines).toEqual([expect.stringContaining(variable)]);
    expect(result.ms).toBeLessThan(EXIT_WITHIN_MS);
  });

  it('exits non-zero within 20 s with one line naming the cause when DATABASE_URL is unreachable', async () => {
    const result = await runToExit({ DATABASE_URL: deadDatabase });
    expect(result).toMatchObject({ killed: false, signal: null });
    expect(result.code).not.toBe(0);
    expect(result.stderrLines).toEqual([expect.stringMatching(/ECONNREFUSED|connect/i)]);
    expect(result.stderrLines[0]).not.toContain('s3cret-pw');
    expect(result.ms).toBeLessThan(EXIT_WITHIN_MS);
  });
});

describe('a node started with a good configuration', () => {
  it('answers /health, and a second start on the same database migrates nothing and keeps the data', async () => {
    const database = await createDatabase('startup');
    try {
      const env = { NODE_ID: 'a', DATABASE_URL: database.url, PUBLIC_URL: 'http://node-a.test:3000' };
      const first = await startServing(env);
      const health = await request(first.url).get('/health').expect(200);
      expect(health.body).toMatchObject({ status: 'ok', node: 'a' });
      const item = await request(first.url)
        .post('/items')
        .send({ data: { kept: 'across restarts' } })
        .expect(201);
      const { cursor } = (await request(first.url).get('/items/transactions').expect(200)).body;
      expect(await first.stop()).toMatchObject({ killed: false });

      const second = await startServing(env);
      await request(second.url).get('/health').expect(200);
      expect((await request(second.url).get(`/items/${item.body.id}`).expect(200)).body).toEqual(item.body);
      // Same database identity: a cursor from the first run is still accepted.
      await request(second.url).get('/items/transactions').query({ after: cursor }).expect(200);
      expect(await second.stop()).toMatchObject({ killed: false });

      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT name FROM migrations ORDER BY id');
        // Each migration recorded once: the second start found them all applied and ran none again.
        expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => new migration().name ?? migration.name));
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
