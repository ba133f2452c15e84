import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ROOT, buildNode, freePort, spawnNode } from '../support/process-node';

/**
 * The embedded PostgreSQL runs in a real node process (`node dist/src/main.js`
 * without DATABASE_URL), as `npm start` runs it: PGlite loads its runtime with
 * dynamic `import()`, which jest's module sandbox refuses unless node runs with
 * --experimental-vm-modules, so it cannot start inside the jest process.
 */
jest.setTimeout(120_000);

/** Fixed, so item URIs stay the same across restarts on different ports. */
const PUBLIC_URL = 'http://node-a.test:3000';

interface EmbeddedNode {
  url: string;
  /** SIGTERM, then waits for the process to end (it closes the database first). */
  stop(): Promise<void>;
}

/** Starts the built node on the embedded PostgreSQL under `dataDir`; resolves once GET /health answers 200. */
async function startEmbedded(dataDir: string, running: EmbeddedNode[]): Promise<EmbeddedNode> {
  const node = await spawnNode({
    id: 'a',
    port: await freePort(),
    env: { DATA_DIR: dataDir, PUBLIC_URL, SYNC_INTERVAL_MS: '0' },
    readyTimeoutMs: 60_000,
  });
  const embedded = { url: node.url, stop: async () => void (await node.kill('SIGTERM')) };
  running.push(embedded);
  return embedded;
}

/** A fresh DATA_DIR handed to `use`; every node started in it is stopped and the directory removed whatever happens. */
async function withDataDir(use: (dataDir: string, running: EmbeddedNode[]) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logsync-embedded-'));
  const running: EmbeddedNode[] = [];
  try {
    await use(dataDir, running);
  } finally {
    await Promise.all(running.map((node) => node.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs `sql` on the embedded database in `dataDir`, in a node process of its own (no node may hold the directory). */
function runSql(dataDir: string, sql: string): void {
  const script = `require('@electric-sql/pglite').PGlite.create(process.argv[1])
    .then(async (db) => { await db.exec(process.argv[2]); await db.close(); })
    .catch((error) => { console.error(error); process.exit(1); });`;
  execFileSync(process.execPath, ['-e', script, dataDir, sql], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
}

/** Reads the whole log with bodies, two entries a page, so a restart is compared on every entry and cursor. */
async function wholeLog(url: string): Promise<{ entries: unknown[]; cursor: string }> {
  const entries: unknown[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await request(url)
      .get('/items/transactions')
      .query({ limit: 2, include: 'data', ...(after ? { after } : {}) })
      .expect(200);
    entries.push(...page.body.entries);
    after = page.body.cursor;
    if (!page.body.hasMore) return { entries, cursor: page.body.cursor };
  }
}

describe('a node on the embedded PostgreSQL', () => {
  beforeAll(buildNode);

  it('keeps its items, tombstones and transaction log across a restart on the same DATA_DIR', async () => {
    await withDataDir(async (dataDir, running) => {
      const first = await startEmbedded(dataDir, running);
      const kept = await request(first.url)
        .post('/items')
        .send({ data: { name: 'kept', n: 1 } })
        .expect(201);
      const edited = await request(first.url)
        .post('/items')
        .send({ data: { name: 'edited', v: 1 } })
        .expect(201);
      const deleted = await request(first.url)
        .post('/items')
        .send({ data: { name: 'deleted' } })
        .expect(201);
      const editedNow = await request(first.url)
        .put(`/items/${edited.body.id}`)
        .send({ data: { name: 'edited', v: 2 } })
        .expect(200);
      await request(first.url).delete(`/items/${deleted.body.id}`).expect(204);
      const tombstone = await request(first.url).get(`/items/${deleted.body.id}`).expect(410);
      const logBefore = await wholeLog(first.url);
      expect(logBefore.entries).toHaveLength(3);
      await first.stop();

      const second = await startEmbedded(dataDir, running);
      expect((await request(second.url).get(`/items/${kept.body.id}`).expect(200)).body).toEqual(kept.body);
      expect((await request(second.url).get(`/items/${edited.body.id}`).expect(200)).body).toEqual(editedNow.body);
      const gone = await request(second.url).get(`/items/${deleted.body.id}`).expect(410);
      expect(gone.body).toEqual(tombstone.body);
      expect(gone.body).toMatchObject({ id: deleted.body.id, deleted: true, data: null });
      const live = await request(second.url).get('/items').expect(200);
      expect(live.body.items.map((item: { id: string }) => item.id).sort()).toEqual([kept.body.id, edited.body.id].sort());
      expect((await wholeLog(second.url)).entries).toEqual(logBefore.entries);

      // The log goes on where it stopped: a cursor from before the restart is still this node's and sees only the new write.
      const added = await request(second.url)
        .post('/items')
        .send({ data: { name: 'after restart' } })
        .expect(201);
      const next = await request(second.url).get('/items/transactions').query({ after: logBefore.cursor }).expect(200);
      expect(next.body.entries.map((entry: { itemId: string }) => entry.itemId)).toEqual([added.body.id]);
    });
  });

  it('answers the next requests normally after PostgreSQL fails a statement, in or out of a transaction', async () => {
    await withDataDir(async (dataDir, running) => {
      const first = await startEmbedded(dataDir, running);
      const item = await request(first.url)
        .post('/items')
        .send({ data: { before: true } })
        .expect(201);
      await first.stop();
      // Statements the node sends as usual now fail inside PostgreSQL: a write whose data holds `poison`
      // breaks a check (in the write's transaction), and the conflicts table is gone (a read outside one).
      runSql(
        dataDir,
        `ALTER TABLE items ADD CONSTRAINT poison CHECK (NOT (data ? 'poison')) NOT VALID;
                       ALTER TABLE conflicts RENAME TO conflicts_elsewhere;`,
      );
      const node = await startEmbedded(dataDir, running);

      for (let i = 0; i < 3; i++) {
        const failures = [
          await request(node.url)
            .post('/items')
            .send({ data: { poison: i } }),
          await request(node.url).get('/admin/conflicts'),
        ];
        for (const failed of failures) {
          expect(failed.body).toEqual({ statusCode: 500, error: expect.any(String), message: expect.any(String) });
        }
        await request(node.url).get('/health').expect(200);
        expect((await request(node.url).get(`/items/${item.body.id}`).expect(200)).body.data).toEqual({ before: true });
        await request(node.url)
          .post('/items')
          .send({ data: { after: i } })
          .expect(201);
      }
      expect((await request(node.url).get('/items/transactions').expect(200)).body.entries).toHaveLength(4);
    });
  }, 300_000);
});
