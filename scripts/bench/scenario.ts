import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { BenchItem, COPY_COLUMNS, itemData, median, timed } from './collection';
import { BenchNode } from './nodes';
import { BenchDatabases } from './pg';

/** Database names of this run: other runs of the bench may share the server. */
const PREFIX = `bench_${process.pid}`;
const SECRET = randomBytes(24).toString('hex');
const TOKEN = randomBytes(24).toString('hex');

/** Two nodes, `a` and `b`, peered with each other, each on a fresh database. */
export interface Pair {
  a: BenchNode;
  b: BenchNode;
  /** The highest resident memory each node process has reached, over every `b` the pair had. */
  peakRssMiB(): { a: number; b: number };
  /** Replaces `b` by a node on a fresh, empty database (same id, port and peer). */
  freshB(): Promise<void>;
  stop(): Promise<void>;
}

export const databaseOf = (id: string) => `${PREFIX}_${id}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startPair(dbs: BenchDatabases): Promise<Pair> {
  await Promise.all([dbs.fresh(databaseOf('a')), dbs.fresh(databaseOf('b'))]);
  const ports = { a: await freePort(), b: await freePort() };
  const node = (id: 'a' | 'b', peer: 'a' | 'b') =>
    new BenchNode({
      id,
      port: ports[id],
      databaseUrl: dbs.url(databaseOf(id)),
      peer: { id: peer, port: ports[peer] },
      secret: SECRET,
      token: TOKEN,
    });
  let formerB = 0;
  const pair: Pair = {
    a: node('a', 'b'),
    b: node('b', 'a'),
    peakRssMiB: () => ({ a: pair.a.peakRssMiB, b: Math.max(formerB, pair.b.peakRssMiB) }),
    async freshB() {
      await pair.b.stop();
      formerB = Math.max(formerB, pair.b.peakRssMiB);
      await dbs.fresh(databaseOf('b'));
      pair.b = node('b', 'a');
      await pair.b.ready();
    },
    stop: () => Promise.all([pair.a.stop(), pair.b.stop()]).then(() => undefined),
  };
  await Promise.all([pair.a.ready(), pair.b.ready()]);
  return pair;
}

/** The baseline: the same rows into the same schema by `COPY … FROM STDIN`, on a fresh database. */
export async function copyRun(dbs: BenchDatabases, csvPath: string): Promise<number> {
  const db = databaseOf('copy');
  await dbs.fresh(db);
  const { ms } = await timed(() => dbs.copyFromStdin(db, COPY_COLUMNS, csvPath));
  await dbs.drop(db);
  return ms;
}

/** Loads the collection into `a` through `POST /items/bulk`; returns items written per second. */
export async function bulkLoad(pair: Pair, items: BenchItem[]): Promise<number> {
  const { ms } = await timed(() => pair.a.bulkLoad(items));
  return Math.round((items.length / ms) * 1000);
}

/** Progress is reported per this many items pulled. */
export const WINDOW = 100_000;

/**
 * `b`, on a fresh database, pulls the whole collection from `a` in one sync;
 * returns its time and the time each WINDOW of items took to land on b (as
 * its position sequence, read every 100 ms, shows it).
 */
export async function initialSync(pair: Pair, dbs: BenchDatabases, count: number): Promise<{ ms: number; windowsMs: number[] }> {
  await pair.freshB();
  const marks: number[] = [];
  const started = performance.now();
  const stop = await dbs.watchPositions(databaseOf('b'), 100, (positions) => {
    while (positions >= (marks.length + 1) * WINDOW) marks.push(performance.now() - started);
  });
  const { ms, value } = await timed(() => pair.b.sync()).finally(stop);
  if (value.pulled !== count) throw new Error(`initial sync pulled ${value.pulled} of ${count}`);
  return { ms, windowsMs: marks.map((mark, i) => mark - (i === 0 ? 0 : marks[i - 1])) };
}

const edited = (items: BenchItem[], edit: number): BenchItem[] =>
  items.map((item, n) => ({ id: item.id, data: itemData(n, edit) }));

/** 1% of the items changed on each side (different items), then one round from b: both counts exact. */
export async function incremental(pair: Pair, items: BenchItem[]): Promise<number> {
  const share = Math.max(1, Math.floor(items.length / 100));
  await pair.a.bulkLoad(edited(items.slice(0, share), 1));
  await pair.b.bulkLoad(edited(items.slice(share, 2 * share), 1));
  const { ms, value } = await timed(() => pair.b.sync());
  expectCounts('1%+1% sync', value, { pulled: share, pushed: share, conflicts: 0 });
  return ms;
}

/** 1% of the items edited differently on both sides, then one round: every one of them a conflict. */
export async function conflicting(pair: Pair, items: BenchItem[]): Promise<{ ms: number; conflicts: number }> {
  const share = Math.max(1, Math.floor(items.length / 100));
  const both = items.slice(2 * share, 3 * share);
  await pair.a.bulkLoad(edited(both, 2));
  await pair.b.bulkLoad(edited(both, 3));
  const { ms, value } = await timed(() => pair.b.sync());
  if (value.conflicts !== share || value.pulled + value.pushed !== share) {
    throw new Error(`conflict sync: ${JSON.stringify(value)}; expected ${share} conflicts and ${share} versions moved`);
  }
  return { ms, conflicts: value.conflicts };
}

/** The median of `runs` rounds with nothing to do. */
export async function noop(pair: Pair, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, value } = await timed(() => pair.b.sync());
    expectCounts('no-op sync', value, { pulled: 0, pushed: 0, conflicts: 0 });
    times.push(ms);
  }
  return median(times);
}

function expectCounts(what: string, got: { pulled: number; pushed: number; conflicts: number }, want: typeof got): void {
  if (got.pulled !== want.pulled || got.pushed !== want.pushed || got.conflicts !== want.conflicts) {
    throw new Error(`${what}: ${JSON.stringify(got)}; expected ${JSON.stringify(want)}`);
  }
}
