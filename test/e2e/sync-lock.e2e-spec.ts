import { Client } from 'pg';
import { TestDatabase, TestDatabases } from '../support/database';
import { SyncResultBody, callNode, itemsDigest, seedItems, syncWith } from '../support/bulk-items';
import { ProcessNode, buildNode, freePort, killAllNodes, spawnNode } from '../support/process-node';
import { eventually } from '../support/http';
import { metricOf } from '../support/metrics';

/**
 * DESIGN.md, "Growing past one machine": processes of one node on one
 * database take a PostgreSQL advisory lock per peer, so only one of them
 * syncs a given peer at a time. The processes are real (`node dist/src/main.js`).
 *
 * How overlap is observed: GET /admin/peers `running` on each process, read
 * one request at a time in turn. `running.startedAt` names one run; a run is
 * syncing once its phase is `pull` or `push` (in `waiting` it is still
 * waiting for the lock). Two samples of process X showing the same run
 * syncing, with a sample of process Y syncing taken between them, witness
 * that both synced at the same moment: no clock and no skew between two
 * concurrent requests is trusted.
 */
const SECRET = 'lock-test-secret-padded-to-32-chars';
const TOKEN = 'lock-test-token-padded-to-32-chars';
const ITEMS_ON_B = 10_000;

interface Sample {
  proc: number;
  /** The run in progress (its startedAt), when it is past waiting for the lock. */
  run?: string;
}

function running(body: { peers: { id: string; running?: { phase: string; startedAt: string } | null }[] }) {
  return body.peers.find((peer) => peer.id === 'b')?.running ?? null;
}

/** Reads GET /admin/peers of each process in turn, one request at a time, until `stop` holds. */
async function sampleInTurn(procs: ProcessNode[], stop: () => boolean, each?: () => Promise<void>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; !stop(); i++) {
    const proc = i % procs.length;
    const { status, body } = await callNode(procs[proc].url, 'GET', '/admin/peers', { token: TOKEN });
    if (status !== 200) throw new Error(`GET /admin/peers on process ${proc}: ${status}`);
    const run = running(body);
    samples.push({ proc, run: run && (run.phase === 'pull' || run.phase === 'push') ? run.startedAt : undefined });
    if (each && proc === procs.length - 1) await each();
  }
  return samples;
}

/** Moments witnessed where `y` was syncing inside one continuous run of `x`, and vice versa. */
function witnessedOverlaps(samples: Sample[], x: number, y: number): number {
  let count = 0;
  for (const [inner, outer] of [
    [y, x],
    [x, y],
  ]) {
    let before: Sample | undefined;
    let between: Sample[] = [];
    for (const sample of samples) {
      if (sample.proc === outer) {
        if (before?.run && sample.run === before.run && between.some((s) => s.run)) count++;
        before = sample;
        between = [];
      } else if (sample.proc === inner) {
        between.push(sample);
      }
    }
  }
  return count;
}

/** Distinct runs seen syncing on `proc`. */
function runsSeen(samples: Sample[], proc: number): number {
  return new Set(samples.filter((s) => s.proc === proc && s.run).map((s) => s.run)).size;
}

function okSyncs(node: ProcessNode): Promise<number> {
  return metricOf(node.url, 'logsync_syncs_total', { peer: 'b', outcome: 'ok' }, TOKEN);
}

/** Advisory locks granted on the peer b key, in the database `client` is connected to. */
async function grantedPeerLocks(client: Client): Promise<number> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM pg_locks, (SELECT hashtext('logsync.sync:b')::bigint AS k) key
     WHERE locktype = 'advisory' AND granted AND objsubid = 1
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid::bigint = (key.k >> 32) & 4294967295 AND objid::bigint = key.k & 4294967295`,
  );
  return rows[0].n;
}

describe('processes of one node sharing a database', () => {
  const databases = new TestDatabases();
  let b: ProcessNode;
  let pgB: Client;

  const database = (label: string) => databases.open(label);

  /** A process of node `id` (a, unless it is another node: ids are unique among peers). */
  function startA(db: TestDatabase, intervalMs: number, id = 'a'): Promise<ProcessNode> {
    return freePort().then((port) =>
      spawnNode({
        id,
        port,
        env: {
          DATABASE_URL: db.url,
          PEERS: `b=${b.url}`,
          SYNC_SECRET: SECRET,
          API_TOKEN: TOKEN,
          SYNC_INTERVAL_MS: String(intervalMs),
        },
      }),
    );
  }

  beforeAll(async () => {
    buildNode();
    const { db, pg } = await database('lock_b');
    pgB = pg;
    b = await spawnNode({
      id: 'b',
      port: await freePort(),
      // b accepts signed requests only from its PEERS: the processes of a, and c (the control). It never syncs itself.
      env: {
        DATABASE_URL: db.url,
        PEERS: 'a=http://127.0.0.1:9,c=http://127.0.0.1:9',
        SYNC_SECRET: SECRET,
        API_TOKEN: TOKEN,
        SYNC_INTERVAL_MS: '0',
      },
    });
    await seedItems(b.url, TOKEN, 'b', ITEMS_ON_B);
  }, 60_000);

  afterAll(async () => {
    await killAllNodes();
    await databases.dropAll();
  });

  it("never run the same peer's scheduled round at the same time", async () => {
    const { db, pg } = await database('lock_a');
    // Started together on the empty database: the migrations must not race either.
    const procs = await Promise.all([startA(db, 200), startA(db, 200)]);

    // b keeps changing while a's processes sync it every ~200 ms, so rounds keep having work.
    let observing = true;
    let written = 0;
    const writer = (async () => {
      while (observing) {
        await seedItems(b.url, TOKEN, 'b', 100, { first: ITEMS_ON_B + written });
        written += 100;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const stopAt = Date.now() + 10_000;
    const locks: number[] = [];
    let samples: Sample[];
    try {
      samples = await sampleInTurn(
        procs,
        () => Date.now() > stopAt,
        async () => {
          locks.push(await grantedPeerLocks(pg));
        },
      );
    } finally {
      observing = false;
      await writer;
    }

    const overlaps = witnessedOverlaps(samples, 0, 1);
    const syncs = await Promise.all(procs.map(okSyncs));
    console.log(
      [
        'scheduled syncs, two processes of a on one database, SYNC_INTERVAL_MS=200, 10 s:',
        `  samples of GET /admin/peers  ${samples.length} (${samples.filter((s) => s.run).length} showing a run syncing)`,
        `  runs seen syncing            process 1: ${runsSeen(samples, 0)}, process 2: ${runsSeen(samples, 1)}`,
        `  ok syncs (metrics)           process 1: ${syncs[0]}, process 2: ${syncs[1]}`,
        `  items written to b meanwhile ${written}`,
        `  advisory lock on peer b      max granted ${Math.max(...locks)}, held in ${locks.filter((n) => n === 1).length}/${locks.length} samples`,
        `  witnessed overlaps           ${overlaps}`,
      ].join('\n'),
    );
    expect(overlaps).toBe(0);
    expect(Math.max(...locks)).toBe(1);
    expect(syncs[0]).toBeGreaterThan(0);
    expect(syncs[1]).toBeGreaterThan(0);
    expect(runsSeen(samples, 0)).toBeGreaterThan(0);
    expect(runsSeen(samples, 1)).toBeGreaterThan(0);

    // Turn by turn, the two processes still brought a everything b has, once.
    await eventually(async () => expect(await itemsDigest(pg)).toEqual(await itemsDigest(pgB)), 15_000);
    for (const proc of procs) {
      expect(proc.exit()).toBeUndefined();
      expect(proc.output()).not.toMatch(/ERROR|failed after/);
    }
    await Promise.all(procs.map((proc) => proc.kill()));
  });

  it('serialise two admin syncs of one peer, where processes on separate databases overlap (the control)', async () => {
    const [shared, separate] = await Promise.all([database('lock_shared'), database('lock_separate')]);
    // Processes 1 and 2 share a database; process 3 is a node of its own, which no lock concerns.
    const procs = await Promise.all([startA(shared.db, 0), startA(shared.db, 0), startA(separate.db, 0, 'c')]);

    const origin = Date.now();
    const ends: number[] = [];
    let pending: number = procs.length;
    const results: Promise<SyncResultBody>[] = procs.map((proc, i) =>
      syncWith(proc.url, 'b', TOKEN).finally(() => {
        ends[i] = Date.now() - origin;
        pending--;
      }),
    );
    const samples = await sampleInTurn(procs, () => pending === 0);
    const [r1, r2, r3] = await Promise.all(results);

    const spans = [r1, r2, r3].map((r, i) => ({ start: ends[i] - r.durationMs, end: ends[i] }));
    const [first, second] = r1.pulled > 0 ? [0, 1] : [1, 0];
    const overlapMs = (x: number, y: number) =>
      Math.max(0, Math.min(spans[x].end, spans[y].end) - Math.max(spans[x].start, spans[y].start));
    console.log(
      [
        "admin syncs started together (ms from the start; a run's span is [answer - durationMs, answer]):",
        ...[r1, r2, r3].map(
          (r, i) =>
            `  process ${i + 1}${i < 2 ? ' (shared db)  ' : ' (own db)     '} span ${spans[i].start}..${spans[i].end}, pulled ${r.pulled}`,
        ),
        `  samples ${samples.length}; witnessed overlaps: processes 1-2 ${witnessedOverlaps(samples, 0, 1)}, ` +
          `1-3 ${witnessedOverlaps(samples, 0, 2)}, 2-3 ${witnessedOverlaps(samples, 1, 2)}`,
      ].join('\n'),
    );
    for (const r of [r1, r2, r3]) expect(r).toMatchObject({ ok: true, pushed: 0, conflicts: 0, rounds: 1 });
    const total = (await itemsDigest(pgB)).count;
    // On the shared database one run pulled everything; the other waited for it and found nothing left.
    expect([r1.pulled, r2.pulled].sort((x, y) => x - y)).toEqual([0, total]);
    expect(r3.pulled).toBe(total);
    // The second waited for the whole of the first run (the first answer's HTTP latency allowed for).
    expect(spans[second].start).toBeGreaterThanOrEqual(spans[first].end - 200);
    expect(overlapMs(0, 1)).toBeLessThan(200);
    expect(witnessedOverlaps(samples, 0, 1)).toBe(0);
    // The control: the same observation does see two runs at once when no lock is shared.
    expect(witnessedOverlaps(samples, first, 2)).toBeGreaterThan(0);
    expect(overlapMs(first, 2)).toBeGreaterThan(500);
    expect(await itemsDigest(shared.pg)).toEqual(await itemsDigest(pgB));
  });
});
