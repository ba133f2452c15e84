import 'reflect-metadata';
import { cpus, loadavg, tmpdir } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeCollection, median, writeCsv } from './bench/collection';
import { BenchDatabases } from './bench/pg';
import {
  Pair,
  WINDOW,
  bulkLoad,
  conflicting,
  copyRun,
  databaseOf,
  incremental,
  initialSync,
  noop,
  startPair,
} from './bench/scenario';

/**
 * `npm run bench -- --items N [--runs R]`: the figures behind the product's
 * targets, on the local PostgreSQL, with two real node processes. Prints,
 * never asserts speed; it does check every count and that both nodes end
 * equal. R interleaved COPY and initial-sync runs (default 3) give the medians.
 *   BENCH_PG_URL    an administrative connection (default postgres@127.0.0.1:5432)
 *   BENCH_NODE_ARGS extra node flags for the two nodes, e.g. --cpu-prof
 */
const NOOP_RUNS = 20;

function integerArgument(argv: string[], name: string, fallback: number, least: number): number {
  const at = argv.indexOf(name);
  const value = at < 0 ? fallback : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < least) throw new Error(`${name} must be an integer of at least ${least}`);
  return value;
}

const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);

async function main(): Promise<void> {
  const count = integerArgument(process.argv, '--items', 100_000, 100);
  const runCount = integerArgument(process.argv, '--runs', 3, 1);
  const dbs = new BenchDatabases(process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const csv = join(tmpdir(), `logsync-bench-${process.pid}.csv`);
  const items = makeCollection(count);
  await writeCsv(items, csv);
  console.log(`logsync bench: ${count} items of ~1 KiB, ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)})`);
  const runs: { copyMs: number; initialMs: number }[] = [];
  let pair: Pair | undefined;
  try {
    pair = await startPair(dbs);
    const bulkItemsPerSecond = await bulkLoad(pair, items);
    const bulkRssMiB = pair.a.peakRssMiB;
    pair.a.resetPeak();
    line('POST /items/bulk into a', `${bulkItemsPerSecond} items/s, peak RSS ${bulkRssMiB} MiB`);
    for (let run = 1; run <= runCount; run++) {
      const copyMs = await copyRun(dbs, csv);
      const { ms: initialMs, windowsMs } = await initialSync(pair, dbs, count);
      runs.push({ copyMs, initialMs });
      line(`run ${run}: COPY / initial sync a -> fresh b`, `${ms(copyMs)} / ${ms(initialMs)}`);
      if (windowsMs.length > 1) line(`  each ${WINDOW} items pulled`, windowsMs.map((w) => ms(w)).join(', '));
    }
    const incrementalMs = await incremental(pair, items);
    const conflict = await conflicting(pair, items);
    const noopMs = await noop(pair, NOOP_RUNS);
    const [digestA, digestB] = [await dbs.digest(databaseOf('a')), await dbs.digest(databaseOf('b'))];
    if (digestA.digest !== digestB.digest || digestA.count !== count) {
      throw new Error(`nodes differ: a ${JSON.stringify(digestA)}, b ${JSON.stringify(digestB)}`);
    }
    const rss = pair.peakRssMiB();

    const copyMs = median(runs.map((r) => r.copyMs));
    const initialMs = median(runs.map((r) => r.initialMs));
    const ratio = Math.round((initialMs / copyMs) * 100) / 100;
    console.log('');
    line(`COPY FROM STDIN, median of ${runCount}`, ms(copyMs));
    line(`initial sync a -> b, median of ${runCount}`, `${ms(initialMs)}   (${ratio}x COPY; target <= 2x)`);
    line(
      '1% + 1% changed, one sync',
      `${ms(incrementalMs)}   (pulled and pushed ${Math.floor(count / 100)} each; target <= 150 ms)`,
    );
    line('1% edited on both sides, one sync', `${ms(conflict.ms)}   (${conflict.conflicts} conflicts recorded)`);
    line(`no-op sync, median of ${NOOP_RUNS}`, `${ms(noopMs)}   (target <= 5 ms)`);
    line('peak RSS node a / node b, through the syncs', `${rss.a} / ${rss.b} MiB   (target <= 150 MB)`);
    line('POST /items/bulk, 1000 per request', `${bulkItemsPerSecond} items/s   (target >= 20000)`);
    line('digest of (id, fingerprint)', `equal on both nodes (${digestA.count} items, ${digestA.digest})`);
    const round = (value: number) => Math.round(value * 10) / 10;
    console.log(
      JSON.stringify({
        items: count,
        copyMs: round(copyMs),
        initialMs: round(initialMs),
        ratios: { initialToCopy: ratio },
        incrementalMs: round(incrementalMs),
        noopMs: round(noopMs),
        rssMiB: rss,
        bulkItemsPerSecond,
        bulkRssMiB,
      }),
    );
  } finally {
    await pair?.stop();
    await dbs.dropAll();
    rmSync(csv, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error)?.stack ?? error}`);
  process.exit(1);
});
