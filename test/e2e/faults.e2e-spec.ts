import { execSync } from 'node:child_process';
import { TestDatabases } from '../support/database';
import { callNode, itemsDigest, seedItems, syncWith } from '../support/bulk-items';
import { ProcessNode, buildNode, freePort, killAllNodes, spawnNode } from '../support/process-node';
import { PgProxy, startPgProxy } from '../support/pg-proxy';
import { eventually } from '../support/http';

/** Faults with real node processes on real databases; the shared PostgreSQL server itself is never stopped. */
const SECRET = 'faults-test-secret-of-32-characters!';
const TOKEN = 'faults-test-token-of-32-characters!!';
jest.setTimeout(90_000);

describe('faults', () => {
  const databases = new TestDatabases();
  const proxies: PgProxy[] = [];

  const database = (label: string) => databases.open(label);

  function spawn(
    id: string,
    port: number,
    databaseUrl: string,
    peers: string,
    env: Record<string, string> = {},
  ): Promise<ProcessNode> {
    return spawnNode({
      id,
      port,
      // Syncs only when a test asks: neither scheduled nor near-live.
      env: {
        DATABASE_URL: databaseUrl,
        PEERS: peers,
        SYNC_SECRET: SECRET,
        API_TOKEN: TOKEN,
        SYNC_INTERVAL_MS: '0',
        SYNC_DEBOUNCE_MS: '0',
        ...env,
      },
    });
  }

  /** The running sync with `peer` as GET /admin/peers shows it on `node`. */
  async function running(node: ProcessNode, peer: string): Promise<{ phase: string; done: number; total: number } | null> {
    const { body } = await callNode(node.url, 'GET', '/admin/peers', { token: TOKEN });
    return body.peers.find((p: { id: string }) => p.id === peer)?.running ?? null;
  }

  async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function post(node: ProcessNode, data: unknown): Promise<{ id: string; fingerprint: string }> {
    const { status, body } = await callNode(node.url, 'POST', '/items', { token: TOKEN, body: { data } });
    expect(status).toBe(201);
    return body;
  }

  beforeAll(buildNode);

  afterEach(async () => {
    await killAllNodes();
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
    await databases.dropAll();
  });

  it('stays up while its database is unreachable mid-sync, answers 503 then 200, and converges without losing a write', async () => {
    // A proxy between node a and PostgreSQL, cut and restored: the shared server must keep running for other tests.
    const proxy = await startPgProxy();
    proxies.push(proxy);
    const [dbA, dbB] = [await database('fault_pg_a'), await database('fault_pg_b')];
    const viaProxy = new URL(dbA.db.url);
    viaProxy.port = String(proxy.port);
    const [portA, portB] = [await freePort(), await freePort()];
    const limits = { DB_ACQUIRE_TIMEOUT_MS: '2000', HEALTH_TIMEOUT_MS: '1000' };
    const b = await spawn('b', portB, dbB.db.url, `a=http://127.0.0.1:${portA}`);
    const a = await spawn('a', portA, viaProxy.toString(), `b=http://127.0.0.1:${portB}`, limits);
    await seedItems(b.url, TOKEN, 'b', 5000, { bytes: 500 });
    const acknowledged = await Promise.all(Array.from({ length: 20 }, (_, n) => post(a, { n })));

    const first = syncWith(a.url, 'b', TOKEN);
    await waitFor(async () => ((await running(a, 'b'))?.done ?? 0) >= 1000);
    // First silent (a partition: the round and any query hang), then gone (a restart drops every connection).
    proxy.freeze();
    expect((await callNode(a.url, 'GET', '/health', { timeoutMs: 10_000 })).status).toBe(503);
    proxy.cut();
    expect(await first).toMatchObject({ ok: false });
    // With the database gone, the next sync cannot even take its peer's lock: that is a result, never a 500.
    expect(await syncWith(a.url, 'b', TOKEN)).toMatchObject({ ok: false });
    expect((await callNode(a.url, 'GET', '/health', { timeoutMs: 10_000 })).status).toBe(503);
    expect(a.exit()).toBeUndefined();

    proxy.restore();
    await eventually(async () => expect((await callNode(a.url, 'GET', '/health', { timeoutMs: 5000 })).status).toBe(200), 15_000);
    expect(await syncWith(a.url, 'b', TOKEN)).toMatchObject({ ok: true });
    expect(await syncWith(b.url, 'a', TOKEN)).toMatchObject({ ok: true });
    expect(await itemsDigest(dbA.pg)).toEqual(await itemsDigest(dbB.pg));
    for (const { id, fingerprint } of acknowledged) {
      for (const node of [a, b]) {
        expect((await callNode(node.url, 'GET', `/items/${id}`, { token: TOKEN })).body.fingerprint).toBe(fingerprint);
      }
    }
    expect(a.exit()).toBeUndefined();
  });

  it('converges after the peer is killed mid-push', async () => {
    const [dbA, dbB] = [await database('fault_kill_a'), await database('fault_kill_b')];
    const [portA, portB] = [await freePort(), await freePort()];
    const a = await spawn('a', portA, dbA.db.url, `b=http://127.0.0.1:${portB}`);
    let b = await spawn('b', portB, dbB.db.url, `a=http://127.0.0.1:${portA}`);
    await seedItems(a.url, TOKEN, 'a', 5000, { bytes: 1000 });

    const first = syncWith(a.url, 'b', TOKEN);
    await waitFor(async () => {
      const run = await running(a, 'b');
      return run?.phase === 'push' && run.done >= 1000;
    });
    await b.kill('SIGKILL');
    const interrupted = await first;
    expect(interrupted).toMatchObject({ ok: false, error: expect.stringMatching(/unavailable/) });
    expect((await itemsDigest(dbB.pg)).count).toBeLessThan(5000);

    b = await spawn('b', portB, dbB.db.url, `a=http://127.0.0.1:${portA}`);
    expect(await syncWith(a.url, 'b', TOKEN)).toMatchObject({ ok: true });
    expect(await itemsDigest(dbB.pg)).toEqual(await itemsDigest(dbA.pg));
    expect((await itemsDigest(dbB.pg)).count).toBe(5000);
  });

  it('notices a peer restored from an old backup and gives it back the newer versions', async () => {
    const [dbA, dbB, backup] = [
      await database('fault_epoch_a'),
      await database('fault_epoch_b'),
      await database('fault_epoch_bak'),
    ];
    const [portA, portB] = [await freePort(), await freePort()];
    const a = await spawn('a', portA, dbA.db.url, `b=http://127.0.0.1:${portB}`);
    let b = await spawn('b', portB, dbB.db.url, `a=http://127.0.0.1:${portA}`);
    const x = await post(a, { x: 1 });
    const y = await post(b, { y: 1 });
    expect(await syncWith(a.url, 'b', TOKEN)).toMatchObject({ ok: true });

    execSync(`pg_dump --no-owner "${dbB.db.url}" | psql -q -v ON_ERROR_STOP=1 "${backup.db.url}"`, { stdio: 'pipe' });
    const x2 = (await callNode(a.url, 'PUT', `/items/${x.id}`, { token: TOKEN, body: { data: { x: 2 } } })).body;
    const y2 = (await callNode(b.url, 'PUT', `/items/${y.id}`, { token: TOKEN, body: { data: { y: 2 } } })).body;
    const z = await post(b, { z: 1 });
    expect(await syncWith(a.url, 'b', TOKEN)).toMatchObject({ ok: true });

    await b.kill('SIGKILL');
    // A dump restored into a new PostgreSQL cluster holds log positions ahead of that cluster's transaction
    // counter, which is how a node tells it was restored. The shared test server's counter cannot go back,
    // so the copy's positions are moved ahead of it instead: the state a real restore leaves.
    await backup.pg.query(`UPDATE items SET pos_xid = pos_xid + 1000000000000`);
    b = await spawn('b', portB, backup.db.url, `a=http://127.0.0.1:${portA}`);
    expect(b.output()).toMatch(/restored from a dump; renumbering the log/);
    expect((await callNode(b.url, 'GET', `/items/${z.id}`, { token: TOKEN })).status).toBe(404);

    expect(await syncWith(a.url, 'b', TOKEN)).toMatchObject({ ok: true });
    for (const item of [x2, y2, z]) {
      expect((await callNode(b.url, 'GET', `/items/${item.id}`, { token: TOKEN })).body.fingerprint).toBe(item.fingerprint);
    }
    expect(await itemsDigest(backup.pg)).toEqual(await itemsDigest(dbA.pg));
  });
});
