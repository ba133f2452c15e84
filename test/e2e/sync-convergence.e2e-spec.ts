import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { Client } from 'pg';
import request from 'supertest';
import type { ItemView } from '../../src/items/item.view';
import { compareVersions } from '../../src/core/winner';
import type { VersionKey } from '../../src/core/version';
import { SyncTestOp, WriteOp, dataOf, syncScenarioArb } from '../factories/sync-operations';
import { Cluster, SyncResultBody, TEST_SECRET, startCluster, testSender } from '../support/cluster';
import { PG_ADMIN_URL } from '../support/database';
import { signAs } from '../support/signing';

/**
 * Convergence over real nodes: random writes and syncs on three fully meshed
 * nodes with skewed clocks and unequal priorities, then sync to quiescence.
 * Every node must then hold the same version of every item, and that version
 * must be the greatest (by the winner rule) of all versions ever written.
 *
 * The nodes live across runs, so each run works on fresh ids and looks only
 * at those.
 */

const NODES = ['a', 'b', 'c'];
const WINDOW_MS = 50;
/** Offsets stay within ±4 minutes of each other: signed requests older or newer than 5 minutes are refused. */
const NODE_ENV: Record<string, Record<string, string>> = {
  a: { NODE_PRIORITY: '0', CLOCK_OFFSET_MS: '0' },
  b: { NODE_PRIORITY: '1', CLOCK_OFFSET_MS: '90000' },
  c: { NODE_PRIORITY: '0', CLOCK_OFFSET_MS: '-60000' },
};
const POOL_SIZE = 4;
const MAX_PASSES = 6;
/** CONVERGENCE_RUNS soaks longer; CONVERGENCE_SEED (and CONVERGENCE_PATH) replay a reported failure. */
const RUNS = Number(process.env.CONVERGENCE_RUNS ?? 25);
const REPLAY = {
  ...(process.env.CONVERGENCE_SEED ? { seed: Number(process.env.CONVERGENCE_SEED) } : {}),
  ...(process.env.CONVERGENCE_PATH ? { path: process.env.CONVERGENCE_PATH } : {}),
};

const keyOf = (item: ItemView): VersionKey => ({
  updatedAtMs: Date.parse(item.updatedAt),
  priority: item.priority,
  origin: item.origin,
  fingerprint: item.fingerprint,
});

/** What must agree across nodes and with the expected survivor. */
const stateOf = (item: ItemView) => ({
  id: item.id,
  fingerprint: item.fingerprint,
  deleted: item.deleted,
  updatedAt: item.updatedAt,
  origin: item.origin,
  priority: item.priority,
  data: item.data,
});

describe('three nodes with skewed clocks and unequal priorities', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster(NODES, {
      env: Object.fromEntries(NODES.map((id) => [id, { ...NODE_ENV[id], CONFLICT_WINDOW_MS: String(WINDOW_MS) }])),
    });
  });
  afterAll(() => cluster?.stop());

  const url = (node: string) => cluster.nodes[node].url;

  function expectStatus(what: object, res: request.Response, allowed: number[]): void {
    if (!allowed.includes(res.status)) throw new Error(`${JSON.stringify(what)}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** The version `node` holds of `id`, tombstones included (GET answers 410 with the tombstone). */
  async function held(node: string, id: string): Promise<ItemView | undefined> {
    const res = await request(url(node)).get(`/items/${id}`);
    expectStatus({ get: id, node }, res, [200, 404, 410]);
    return res.status === 404 ? undefined : res.body;
  }

  /** One run's state: its fresh ids and every version its writes produced, per item. */
  class Run {
    readonly ids = Array.from({ length: POOL_SIZE }, () => randomUUID());
    readonly written = new Map<string, ItemView[]>();

    private record(item: ItemView): void {
      this.written.set(item.id, [...(this.written.get(item.id) ?? []), item]);
    }

    /**
     * A client write; records the version it produced (a refused create or
     * delete produces none). Unless a sync races it, the new version must beat
     * the one the node held before: a local write never loses to what it replaces.
     */
    async write(op: WriteOp, raced = false): Promise<void> {
      const id = this.ids[op.item];
      const before = raced ? undefined : await held(op.node, id);
      const written = await this.send(op, id, raced);
      if (!written) return;
      this.record(written);
      const replaced = before && (before.fingerprint !== written.fingerprint || before.updatedAt !== written.updatedAt);
      if (replaced && compareVersions(keyOf(written), keyOf(before), WINDOW_MS) <= 0) {
        throw new Error(
          `${JSON.stringify(op)} wrote ${JSON.stringify(stateOf(written))}, which does not beat ${JSON.stringify(stateOf(before))}`,
        );
      }
    }

    private async send(op: WriteOp, id: string, raced: boolean): Promise<ItemView | undefined> {
      const node = url(op.node);
      if (op.kind === 'create') {
        const res = await request(node)
          .post('/items')
          .send({ id, data: dataOf(op.value) });
        expectStatus(op, res, [201, 409]);
        return res.status === 201 ? res.body : undefined;
      }
      if (op.kind === 'update') {
        const res = await request(node)
          .put(`/items/${id}`)
          .send({ data: dataOf(op.value) });
        expectStatus(op, res, [200, 201]);
        return res.body;
      }
      const res = await request(node).delete(`/items/${id}`);
      expectStatus(op, res, [204, 404]);
      if (res.status !== 204) return undefined;
      // The tombstone's stamp is only known from a read; a sync racing this
      // write may already have replaced it with a greater (recorded) version.
      const after = await held(op.node, id);
      if (!raced) expect(after?.deleted).toBe(true);
      return after;
    }

    async perform(op: SyncTestOp): Promise<void> {
      switch (op.kind) {
        case 'sync':
          return expectOk(await cluster.sync(op.node, op.peer === 'all' ? undefined : [op.peer]));
        case 'syncAll':
          return expectOk((await Promise.all(NODES.map((node) => cluster.sync(node)))).flat());
        case 'race': {
          const [results] = await Promise.all([
            cluster.sync(op.sync.node, op.sync.peer === 'all' ? undefined : [op.sync.peer]),
            this.write(op.write, true),
          ]);
          return expectOk(results);
        }
        case 'storm': {
          const [results] = await Promise.all([
            Promise.all(op.syncs.map((s) => cluster.sync(s.node, s.peer === 'all' ? undefined : [s.peer]))),
            Promise.all(op.writes.map((w) => this.write(w, true))),
          ]);
          return expectOk(results.flat());
        }
        default:
          return this.write(op);
      }
    }

    /** The greatest version ever written of `id`, by the winner rule. */
    expectedSurvivor(id: string): ItemView | undefined {
      const versions = this.written.get(id) ?? [];
      return versions.reduce<ItemView | undefined>(
        (best, v) => (!best || compareVersions(keyOf(v), keyOf(best), WINDOW_MS) > 0 ? v : best),
        undefined,
      );
    }
  }

  /** What the syncs did over all runs, printed at the end to show the scenarios bite. */
  const seen = { syncs: 0, retried: 0, conflicts: 0, pulled: 0, pushed: 0 };

  function expectOk(results: SyncResultBody[]): void {
    for (const r of results) {
      seen.syncs++;
      seen.retried += r.rounds > 1 ? 1 : 0;
      seen.conflicts += r.conflicts;
      seen.pulled += r.pulled;
      seen.pushed += r.pushed;
    }
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
  }

  /**
   * Waits until every transaction that had a transaction id when this was
   * called has ended, anywhere on the server. A node's log serves an entry
   * only once every older transaction ended, and PostgreSQL's snapshot spans
   * all databases: a test running next to this one (CREATE DATABASE, a held
   * transaction) can hide a committed write from every node's log for a while,
   * and a sync pass would then move nothing and look quiescent.
   */
  async function logsSettled(timeoutMs = 60_000): Promise<void> {
    const client = new Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ done }] = (
          await client.query<{ done: boolean }>(
            `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > $1::bigint AS done`,
            [rows[0].xid],
          )
        ).rows;
        if (done) return;
        if (Date.now() > deadline) {
          const { rows: holders } = await client.query(
            `SELECT pid, datname, backend_xid, left(query, 80) AS query FROM pg_stat_activity WHERE backend_xid IS NOT NULL`,
          );
          throw new Error(
            `transactions older than xid ${rows[0].xid} still running after ${timeoutMs} ms: ${JSON.stringify(holders)}`,
          );
        }
        await sleep(20);
      }
    } finally {
      await client.end();
    }
  }

  /** Syncs every node with all its peers, pass after pass, until a whole pass moves nothing. */
  async function syncToQuiescence(): Promise<void> {
    let last: Array<{ node: string; results: SyncResultBody[] }> = [];
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      await logsSettled();
      last = [];
      for (const node of NODES) last.push({ node, results: await cluster.sync(node) });
      const all = last.flatMap((l) => l.results);
      expectOk(all);
      if (all.every((r) => r.pulled === 0 && r.pushed === 0)) return;
    }
    throw new Error(`still moving versions after ${MAX_PASSES} passes: ${JSON.stringify(last)}`);
  }

  /** POST /items/batch is a node-to-node route once SYNC_SECRET is set: read it as a signed peer would. */
  async function holdings(node: string, ids: string[]): Promise<ReturnType<typeof stateOf>[]> {
    const body = JSON.stringify({ ids });
    const headers = signAs(TEST_SECRET, testSender(cluster.nodes[node]), node, { method: 'POST', path: '/items/batch', body });
    const res = await request(url(node))
      .post('/items/batch')
      .set(headers)
      .set('content-type', 'application/json')
      .send(body)
      .expect(200);
    return (res.body.items as ItemView[]).map(stateOf).sort((x, y) => x.id.localeCompare(y.id));
  }

  it(
    'converges on the greatest version ever written of every item, whatever the writes and syncs',
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(syncScenarioArb(NODES, POOL_SIZE), async (ops) => {
          const run = new Run();
          for (const op of ops) await run.perform(op);
          await syncToQuiescence();

          const [first, ...others] = await Promise.all(NODES.map((node) => holdings(node, run.ids)));
          for (const [i, other] of others.entries()) {
            expect({ node: NODES[i + 1], items: other }).toEqual({ node: NODES[i + 1], items: first });
          }
          const expected = run.ids
            .map((id) => run.expectedSurvivor(id))
            .filter((v): v is ItemView => v !== undefined)
            .map(stateOf)
            .sort((x, y) => x.id.localeCompare(y.id));
          expect(first).toEqual(expected);
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: Math.max(300_000, RUNS * 10_000), markInterruptAsFailure: true, ...REPLAY },
      );
      console.log(`convergence: ${RUNS} runs in ${Date.now() - started} ms; ${JSON.stringify(seen)}`);
    },
    Math.max(600_000, RUNS * 20_000),
  );
});
