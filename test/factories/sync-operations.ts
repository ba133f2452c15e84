import fc from 'fast-check';

/**
 * Random client writes and syncs over a small cluster, for convergence
 * tests. Items are named by their index in a per-run pool of fresh ids, and
 * data comes from a tiny pool so that two nodes often write the same content.
 */

export type WriteOp =
  | { kind: 'create'; node: string; item: number; value: number }
  | { kind: 'update'; node: string; item: number; value: number }
  | { kind: 'delete'; node: string; item: number };

export type SyncOp =
  /** POST /admin/sync on `node`, with every peer or with one. */
  | { kind: 'sync'; node: string; peer: string | 'all' }
  /** Every node syncs with every peer at the same time. */
  | { kind: 'syncAll' };

/** A sync and a write on another node running at the same time. */
export type RaceOp = { kind: 'race'; sync: { node: string; peer: string | 'all' }; write: WriteOp };

/** Several writes and syncs, all at the same time: commits interleave on every node. */
export type StormOp = { kind: 'storm'; writes: WriteOp[]; syncs: { node: string; peer: string | 'all' }[] };

export type SyncTestOp = WriteOp | SyncOp | RaceOp | StormOp;

/** `{ v: value }`; values collide often so equal fingerprints with different stamps turn up. */
export const dataOf = (value: number): Record<string, unknown> => ({ v: value });

export function writeOpArb(nodes: string[], poolSize: number): fc.Arbitrary<WriteOp> {
  const node = fc.constantFrom(...nodes);
  const item = fc.integer({ min: 0, max: poolSize - 1 });
  const value = fc.integer({ min: 0, max: 3 });
  return fc.oneof(
    fc.record({ kind: fc.constant('create' as const), node, item, value }),
    { arbitrary: fc.record({ kind: fc.constant('update' as const), node, item, value }), weight: 2 },
    fc.record({ kind: fc.constant('delete' as const), node, item }),
  );
}

function syncTargetArb(nodes: string[]): fc.Arbitrary<{ node: string; peer: string | 'all' }> {
  return fc
    .constantFrom(...nodes)
    .chain((node) => fc.record({ node: fc.constant(node), peer: fc.constantFrom('all', ...nodes.filter((n) => n !== node)) }));
}

export function syncTestOpArb(nodes: string[], poolSize: number): fc.Arbitrary<SyncTestOp> {
  return fc.oneof(
    { arbitrary: writeOpArb(nodes, poolSize), weight: 6 },
    { arbitrary: syncTargetArb(nodes).map((t): SyncOp => ({ kind: 'sync', ...t })), weight: 3 },
    { arbitrary: fc.constant<SyncOp>({ kind: 'syncAll' }), weight: 1 },
    {
      arbitrary: fc
        .record({ sync: syncTargetArb(nodes), write: writeOpArb(nodes, poolSize) })
        .map((r): RaceOp => ({ kind: 'race', ...r })),
      weight: 1,
    },
    {
      arbitrary: fc
        .record({
          writes: fc.array(writeOpArb(nodes, poolSize), { minLength: 2, maxLength: 6 }),
          syncs: fc.array(syncTargetArb(nodes), { minLength: 1, maxLength: 3 }),
        })
        .map((r): StormOp => ({ kind: 'storm', ...r })),
      weight: 1,
    },
  );
}

export function syncScenarioArb(nodes: string[], poolSize: number, maxOps = 25): fc.Arbitrary<SyncTestOp[]> {
  return fc.array(syncTestOpArb(nodes, poolSize), { minLength: 1, maxLength: maxOps });
}
