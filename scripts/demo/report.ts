import { call, ItemVersion, itemStatus, nodeState, NodeState } from './api';
import type { DemoNode } from './mesh';
import type { Scenario } from './scenario';

export const WINNER_RULE =
  'the greater (updatedAt bucket of CONFLICT_WINDOW_MS, NODE_PRIORITY, updatedAt, origin id, fingerprint), ' +
  'compared left to right, wins on every node';

interface ConflictRecord {
  itemId: string;
  peer: string;
  winner: ItemVersion;
  loser: ItemVersion;
}

/** Which field of the winner rule decided between two versions, in words. */
export function whyWon(winner: ItemVersion, loser: ItemVersion, windowMs: number): string {
  const w = Date.parse(winner.updatedAt);
  const l = Date.parse(loser.updatedAt);
  const bucket = (ms: number) => (windowMs > 0 ? Math.floor(ms / windowMs) : ms);
  if (bucket(w) !== bucket(l)) {
    return windowMs > 0
      ? `it was written in a later ${windowMs} ms window (updatedAt ${winner.updatedAt} vs ${loser.updatedAt})`
      : `it was written later (updatedAt ${winner.updatedAt} vs ${loser.updatedAt})`;
  }
  if (winner.priority !== loser.priority) {
    const window = windowMs > 0 ? `both written within one ${windowMs} ms window, so ` : '';
    return `${window}node ${winner.origin}'s NODE_PRIORITY ${winner.priority} beats node ${loser.origin}'s ${loser.priority}`;
  }
  if (w !== l) return `same window and priority, and it was written later (updatedAt ${winner.updatedAt} vs ${loser.updatedAt})`;
  if (winner.origin !== loser.origin)
    return `same millisecond and priority: origin "${winner.origin}" sorts after "${loser.origin}"`;
  return 'same time, priority and origin: the greater fingerprint wins';
}

function short(version: ItemVersion): string {
  return `${version.origin}'s ${JSON.stringify(version.data)} (fingerprint ${version.fingerprint.slice(0, 10)}…)`;
}

/** Every conflict record any node kept, once each. */
async function allConflicts(nodes: DemoNode[]): Promise<(ConflictRecord & { node: string })[]> {
  const seen = new Map<string, ConflictRecord & { node: string }>();
  for (const node of nodes) {
    const { conflicts } = await call<{ conflicts: ConflictRecord[] }>('GET', `${node.url}/admin/conflicts?limit=1000`);
    for (const record of conflicts) {
      const key = `${record.itemId} ${record.winner.fingerprint} ${record.loser.fingerprint}`;
      if (!seen.has(key)) seen.set(key, { ...record, node: node.id });
    }
  }
  return [...seen.values()];
}

/** Prints the report; returns true when every node holds the same (id, fingerprint) set. */
export async function printReport(nodes: DemoNode[], scenario: Scenario, windowMs: number): Promise<boolean> {
  const out = process.stdout;
  const states: [DemoNode, NodeState][] = await Promise.all(
    nodes.map(async (node) => [node, await nodeState(node.url)] as [DemoNode, NodeState]),
  );
  const deleted = await Promise.all(nodes.map((node) => itemStatus(node.url, scenario.deletedId)));
  const converged = new Set(states.map(([, state]) => state.digest)).size === 1 && deleted.every((status) => status === 410);
  out.write('\nReport\n  node  items  deleted item  digest of (id, fingerprint)\n');
  states.forEach(([node, state], i) => {
    const gone = deleted[i] === 410 ? '410 gone' : `${deleted[i]} (!)`;
    out.write(`  ${node.id.padEnd(4)}  ${String(state.live).padStart(5)}  ${gone.padEnd(12)}  ${state.digest}\n`);
  });
  out.write(converged ? '  => all nodes agree: converged\n' : '  => the nodes DISAGREE: not converged\n');
  out.write(`\n  deleted on ${nodes[1].id}: item ${scenario.deletedId}, written by ${nodes[2].id}: a tombstone everywhere\n`);
  const shared = await call<ItemVersion>('GET', `${nodes[nodes.length - 1].url}/items/${scenario.sharedId}`);
  out.write(
    `  edited at the same moment on ${scenario.edits.map((edit) => edit.node).join(' and ')}: item ${scenario.sharedId}\n`,
  );
  const conflicts = await allConflicts(nodes);
  for (const record of conflicts) {
    out.write(`  conflict (kept by node ${record.node}, found syncing with ${record.peer}):\n`);
    out.write(`    winner: ${short(record.winner)}\n    loser:  ${short(record.loser)}\n`);
    out.write(`    why:    ${whyWon(record.winner, record.loser, windowMs)}\n`);
  }
  if (conflicts.length === 0) out.write('  no conflict was recorded (one edit saw the other before it was made)\n');
  out.write(`  every node now holds ${short(shared)}\n`);
  out.write(`  rule:   ${WINNER_RULE}; the loser stays at GET /admin/conflicts\n`);
  return converged;
}
