import { parseArgs } from 'node:util';
import { divergentItems, lostWrites, quiesce, versionsOn } from './load/check';
import { LoadClient } from './load/client';
import { startCluster } from './load/cluster';
import { WriteLog, runAdminSyncs, runWriter } from './load/writers';

/**
 * `npm run load -- --duration S [--nodes 3] [--writers 8]`: concurrent
 * writers on every node with scheduled and admin syncs, then quiescence, then
 * the checks: every node holds the same versions, and every acknowledged write
 * survives or lost to a greater version with its conflict recorded. Ends with
 * one JSON line; exits non-zero on any 5xx, divergence or lost write.
 */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      nodes: { type: 'string', default: '3' },
      writers: { type: 'string', default: '8' },
    },
  });
  const [durationS, nodeCount, writerCount] = [Number(values.duration), Number(values.nodes), Number(values.writers)];
  if (!(durationS > 0) || !(nodeCount >= 2 && nodeCount <= 26) || !(writerCount >= 1)) {
    throw new Error('usage: npm run load -- --duration S [--nodes 2..26] [--writers N]');
  }
  const cluster = await startCluster(nodeCount, 2000);
  const client = new LoadClient(cluster.token);
  try {
    console.log(`load: ${nodeCount} nodes, ${writerCount} writers, ${durationS} s`);
    const log: WriteLog = { acks: [], ids: [] };
    const deadline = Date.now() + durationS * 1000;
    const writers = Array.from({ length: writerCount }, (_, w) => runWriter(client, cluster.nodes, log, w, deadline));
    const [syncs] = await Promise.all([runAdminSyncs(client, cluster.nodes, deadline), ...writers]);
    console.log(`  ${log.acks.length} acknowledged writes on ${log.ids.length} items, ${syncs} admin syncs; quiescing`);
    const passes = await quiesce(client, cluster.nodes);
    const states = await Promise.all(cluster.nodes.map((node) => versionsOn(client, node)));
    const lost = await lostWrites(client, cluster.nodes, log.acks, states[0]);
    for (const ack of lost.slice(0, 10)) console.log(`  lost: ${JSON.stringify(ack)}`);
    const latencies = log.acks.map((ack) => ack.ms);
    const summary = {
      writes: log.acks.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      status5xx: client.serverErrors,
      divergent: divergentItems(states),
      lost: lost.length,
    };
    console.log(`  converged after ${passes} sync pass(es); ${states[0].size} items per node`);
    console.log(JSON.stringify(summary));
    return summary.status5xx + summary.divergent + summary.lost === 0 ? 0 : 1;
  } finally {
    await client.close();
    await cluster.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`load failed: ${(error as Error)?.stack ?? error}`);
    process.exit(2);
  },
);
