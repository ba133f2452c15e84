import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { TestDatabase, createDatabase } from '../support/database';
import { ProcessNode, buildNode, freePort, killAllNodes, spawnNode } from '../support/process-node';

/**
 * LOG_FORMAT=json on real node processes: every line either process writes is
 * one JSON object, each sync logs one structured line, and no secret
 * (SYNC_SECRET, API_TOKEN, the database password) appears in any of them.
 */
jest.setTimeout(120_000);

const SYNC_SECRET = `sync-${randomBytes(24).toString('hex')}`;
const API_TOKEN = `token-${randomBytes(24).toString('hex')}`;
const DB_PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const SECRETS = [SYNC_SECRET, API_TOKEN, DB_PASSWORD];

/** The test server trusts local connections, so a URL with a password connects and the password is only there to be leaked. */
function withPassword(database: TestDatabase): string {
  const url = new URL(database.url);
  url.username = 'postgres';
  url.password = DB_PASSWORD;
  return url.toString();
}

function lines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '');
}

function parsed(output: string): Record<string, unknown>[] {
  return lines(output).map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not one JSON object per line: ${line}`);
    }
  });
}

describe('LOG_FORMAT=json', () => {
  const databases: TestDatabase[] = [];
  let a: ProcessNode;
  let b: ProcessNode;

  beforeAll(async () => {
    buildNode();
    const [portA, portB, portDown] = await Promise.all([freePort(), freePort(), freePort()]);
    databases.push(await createDatabase('log_a'), await createDatabase('log_b'));
    const env = (peers: string, database: TestDatabase) => ({
      LOG_FORMAT: 'json',
      SYNC_SECRET,
      API_TOKEN,
      SYNC_INTERVAL_MS: '0',
      // Only the admin syncs are counted: no near-live round after the pull.
      SYNC_DEBOUNCE_MS: '0',
      PEERS: peers,
      DATABASE_URL: withPassword(database),
    });
    [a, b] = await Promise.all([
      spawnNode({
        id: 'a',
        port: portA,
        env: env(`b=http://127.0.0.1:${portB},down=http://127.0.0.1:${portDown}`, databases[0]),
      }),
      spawnNode({ id: 'b', port: portB, env: env(`a=http://127.0.0.1:${portA}`, databases[1]) }),
    ]);
  });
  afterAll(async () => {
    await killAllNodes();
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('logs each sync as one JSON line with peer, trigger, counts, duration and error kind, and never a secret', async () => {
    const auth = { Authorization: `Bearer ${API_TOKEN}` };
    await request(b.url)
      .post('/items')
      .set(auth)
      .send({ data: { hello: 'world' } })
      .expect(201);
    const { body } = await request(a.url).post('/admin/sync').set(auth).expect(200);
    expect(body.results).toEqual(expect.arrayContaining([expect.objectContaining({ peer: 'b', ok: true, pulled: 1 })]));
    await request(a.url).get('/items/transactions').expect(401);
    await a.kill('SIGTERM');
    await b.kill('SIGTERM');

    const records = parsed(a.output());
    const syncs = records
      .filter((record) => (record.message as { event?: string })?.event === 'sync')
      .map((record) => record.message);
    expect(syncs).toEqual(
      expect.arrayContaining([
        {
          event: 'sync',
          peer: 'b',
          trigger: 'admin',
          ok: true,
          pulled: 1,
          pushed: 0,
          conflicts: 0,
          rounds: 1,
          durationMs: expect.any(Number),
          errorKind: null,
        },
        expect.objectContaining({
          event: 'sync',
          peer: 'down',
          trigger: 'admin',
          ok: false,
          errorKind: 'unavailable',
          error: expect.any(String),
        }),
      ]),
    );
    expect(syncs).toHaveLength(2);
    parsed(b.output());
    for (const line of [...lines(a.output()), ...lines(b.output())]) {
      for (const secret of SECRETS) expect({ line, leaks: line.includes(secret) }).toEqual({ line, leaks: false });
    }
  });

  it('writes its one line of refusal as JSON too, without the password, when the database does not exist', async () => {
    const missing = { ...databases[0], url: databases[0].url.replace(/logsync_log_a_\w+$/, 'logsync_no_such_db') };
    const port = await freePort();
    const started = spawnNode({
      id: 'c',
      port,
      env: { LOG_FORMAT: 'json', API_TOKEN, DATABASE_URL: withPassword(missing) },
      readyTimeoutMs: 60_000,
    });
    const error = (await started.catch((reason: Error) => reason)) as Error;
    const output = error.message.slice(error.message.indexOf('\n') + 1);
    const [last] = parsed(output).slice(-1);
    expect(last).toMatchObject({ level: 'error', message: expect.stringContaining('cannot start') });
    for (const secret of SECRETS) expect(output).not.toContain(secret);
  });
});
