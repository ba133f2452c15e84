import fc from 'fast-check';
import { MergePlan, SideVersion, planMerge } from '../../src/sync/merge-plan';
import { compareVersions } from '../../src/core/winner';
import type { VersionKey } from '../../src/core/version';
import { ITEM_ID, PlanInput, aSide, planInputArb } from '../factories/side-versions';
import { BASE_MS, fingerprintArb, versionArb, windowArb } from '../factories/versions';

const RUNS = { numRuns: 1000 };

const one = (side: SideVersion | undefined): Map<string, SideVersion> => new Map(side ? [[side.id, side]] : []);

/** planMerge for a single item, `undefined` standing for "this side lacks it". */
const planOne = (local: SideVersion | undefined, remote: SideVersion | undefined, windowMs: number): MergePlan =>
  planMerge([ITEM_ID], one(local), one(remote), windowMs);

/** API.md's key as a tuple, compared left to right; written apart from winner.ts. */
function referenceCompare(a: VersionKey, b: VersionKey, windowMs: number): number {
  const key = (v: VersionKey) => [
    windowMs > 0 ? Math.floor(v.updatedAtMs / windowMs) : v.updatedAtMs,
    v.priority,
    v.updatedAtMs,
    v.origin,
    v.fingerprint,
  ];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] > kb[i] ? 1 : -1;
  return 0;
}

/** What a pair of versions shows about their history, as README "Conflicts" words the rule. */
interface Facts {
  /** Each side changed the item since the two nodes last synced. */
  bothChanged: boolean;
  sameContent: boolean;
  /** One node wrote both: a node's writes follow each other. */
  oneWriter: boolean;
  /** The winner was written over the loser (its `replaces` names the loser). */
  winnerSawLoser: boolean;
}

function factsOf(winner: SideVersion, loser: SideVersion): Facts {
  return {
    bothChanged: winner.changedSinceSync && loser.changedSinceSync,
    sameContent: winner.fingerprint === loser.fingerprint,
    oneWriter: winner.origin === loser.origin,
    winnerSawLoser: winner.replaces === loser.fingerprint,
  };
}

const rowOf = (f: Facts) => [f.bothChanged, f.sameContent, f.oneWriter, f.winnerSawLoser].map((b) => (b ? 'y' : '-')).join('');

/**
 * The expected answer for every combination of facts (both changed, same
 * content, one writer, winner saw loser), written out rather than computed:
 * a concurrent edit is the one row where both changed, contents differ, two
 * nodes wrote them and neither saw the other.
 */
const CONFLICT_TABLE: Record<string, boolean> = {
  'y---': true,
  'y--y': false,
  'y-y-': false,
  'y-yy': false,
  'yy--': false,
  'yy-y': false,
  'yyy-': false,
  yyyy: false,
  '----': false,
  '---y': false,
  '--y-': false,
  '--yy': false,
  '-y--': false,
  '-y-y': false,
  '-yy-': false,
  '-yyy': false,
};

function expectedConflict(winner: SideVersion, loser: SideVersion): boolean {
  return CONFLICT_TABLE[rowOf(factsOf(winner, loser))];
}

/**
 * A small key domain, taken whole: two times in one bucket of a 10 ms window
 * and one in the next, two priorities, two origins, two fingerprints; with
 * window 0 the three times are three buckets.
 */
const F1 = '1'.repeat(40);
const F2 = '2'.repeat(40);
const ELSEWHERE = '3'.repeat(40);
const SMALL_KEYS: VersionKey[] = [BASE_MS, BASE_MS + 1, BASE_MS + 10].flatMap((updatedAtMs) =>
  [0, 1].flatMap((priority) =>
    ['a', 'b'].flatMap((origin) => [F1, F2].map((fingerprint) => ({ updatedAtMs, priority, origin, fingerprint }))),
  ),
);

interface SmallCase {
  windowMs: number;
  local: SideVersion;
  remote: SideVersion;
}

/** Every pair of small keys × both changed flags × each side's `replaces` in {null, the other's fingerprint, another}. */
function* smallCases(): Generator<SmallCase> {
  for (const windowMs of [0, 10]) {
    for (const localKey of SMALL_KEYS) {
      for (const remoteKey of SMALL_KEYS) {
        for (const [localChanged, remoteChanged] of [
          [false, false],
          [false, true],
          [true, false],
          [true, true],
        ]) {
          for (const localReplaces of [null, remoteKey.fingerprint, ELSEWHERE]) {
            for (const remoteReplaces of [null, localKey.fingerprint, ELSEWHERE]) {
              yield {
                windowMs,
                local: aSide({ ...localKey, changedSinceSync: localChanged, replaces: localReplaces }),
                remote: aSide({ ...remoteKey, changedSinceSync: remoteChanged, replaces: remoteReplaces }),
              };
            }
          }
        }
      }
    }
  }
}

const sideArb = fc
  .tuple(
    windowArb.chain((w) => versionArb(w).map((key) => [w, key] as const)),
    fc.boolean(),
    fc.boolean(),
    fc.option(fingerprintArb),
  )
  .map(([[windowMs, key], deleted, changedSinceSync, replaces]) => ({
    windowMs,
    side: aSide({ ...key, deleted, changedSinceSync, replaces }),
  }));

describe('planMerge: which way each item goes', () => {
  it('pulls an item only the peer has, whatever its key or history', () => {
    fc.assert(
      fc.property(sideArb, ({ windowMs, side }) => {
        expect(planOne(undefined, side, windowMs)).toEqual({ pull: [ITEM_ID], push: [], conflicts: [] });
      }),
      RUNS,
    );
  });

  it('pushes an item only this node has, whatever its key or history', () => {
    fc.assert(
      fc.property(sideArb, ({ windowMs, side }) => {
        expect(planOne(side, undefined, windowMs)).toEqual({ pull: [], push: [ITEM_ID], conflicts: [] });
      }),
      RUNS,
    );
  });

  it('does nothing for an id neither side has', () => {
    expect(planOne(undefined, undefined, 0)).toEqual({ pull: [], push: [], conflicts: [] });
    expect(planMerge(['x', 'y'], one(aSide()), one(aSide()), 50)).toEqual({ pull: [], push: [], conflicts: [] });
  });

  it('pulls when the remote key is greater, pushes when the local one is, does nothing when equal (exhaustive, small keys)', () => {
    let cases = 0;
    for (const { windowMs, local, remote } of smallCases()) {
      const plan = planOne(local, remote, windowMs);
      const order = referenceCompare(remote, local, windowMs);
      const expected = { pull: order > 0 ? [ITEM_ID] : [], push: order < 0 ? [ITEM_ID] : [] };
      if (plan.pull.length !== expected.pull.length || plan.push.length !== expected.push.length) {
        expect({ windowMs, local, remote, pull: plan.pull, push: plan.push }).toEqual({ windowMs, local, remote, ...expected });
      }
      cases++;
    }
    expect(cases).toBe(2 * 24 * 24 * 4 * 9);
  });

  it('agrees with compareVersions for arbitrary versions, tombstones included', () => {
    fc.assert(
      fc.property(planInputArb(), ({ windowMs, ids, local, remote }: PlanInput) => {
        const plan = planMerge(ids, local, remote, windowMs);
        for (const id of ids) {
          const [mine, theirs] = [local.get(id), remote.get(id)];
          const order = !mine && !theirs ? 0 : !mine ? 1 : !theirs ? -1 : compareVersions(theirs, mine, windowMs);
          expect({ id, pull: plan.pull.includes(id), push: plan.push.includes(id) }).toEqual({
            id,
            pull: order > 0,
            push: order < 0,
          });
        }
      }),
      RUNS,
    );
  });

  it('puts every id in at most one of pull and push, once, in the order of ids, and nothing it was not asked about', () => {
    fc.assert(
      fc.property(planInputArb(), fc.integer({ min: 0, max: 12 }), ({ windowMs, ids, local, remote }, asked) => {
        const subset = ids.slice(0, asked);
        const plan = planMerge(subset, local, remote, windowMs);
        const all = [...plan.pull, ...plan.push];
        expect(new Set(all).size).toBe(all.length);
        for (const id of all) expect(subset).toContain(id);
        const inOrder = (list: string[]) => subset.filter((id) => list.includes(id));
        expect(plan.pull).toEqual(inOrder(plan.pull));
        expect(plan.push).toEqual(inOrder(plan.push));
      }),
      RUNS,
    );
  });

  it('treats a tombstone like any other version: flipping `deleted` changes nothing', () => {
    fc.assert(
      fc.property(planInputArb(), ({ windowMs, ids, local, remote }) => {
        const flip = (m: Map<string, SideVersion>) => new Map([...m].map(([id, v]) => [id, { ...v, deleted: !v.deleted }]));
        expect(planMerge(ids, flip(local), flip(remote), windowMs)).toEqual(planMerge(ids, local, remote, windowMs));
      }),
      RUNS,
    );
  });
});

describe('planMerge: conflicts', () => {
  const base = { updatedAtMs: BASE_MS, priority: 0, origin: 'a' };
  const older = aSide({ ...base, fingerprint: F1, changedSinceSync: true, replaces: ELSEWHERE });
  const newer = aSide({
    ...base,
    updatedAtMs: BASE_MS + 5,
    fingerprint: F2,
    changedSinceSync: true,
    replaces: ELSEWHERE,
    origin: 'b',
  });

  it('records a concurrent edit, naming the side that won', () => {
    expect(planOne(older, newer, 0)).toEqual({ pull: [ITEM_ID], push: [], conflicts: [{ itemId: ITEM_ID, winner: 'remote' }] });
    expect(planOne(newer, older, 0)).toEqual({ pull: [], push: [ITEM_ID], conflicts: [{ itemId: ITEM_ID, winner: 'local' }] });
  });

  it('does not record a causal edit: the winner was written over the loser', () => {
    expect(planOne(older, { ...newer, replaces: F1 }, 0).conflicts).toEqual([]);
    expect(planOne({ ...newer, replaces: F1 }, older, 0).conflicts).toEqual([]);
  });

  it('does not record two versions written by one node: its writes follow each other', () => {
    expect(planOne(older, { ...newer, origin: older.origin }, 0).conflicts).toEqual([]);
    expect(planOne({ ...newer, origin: older.origin }, older, 0).conflicts).toEqual([]);
  });

  it('does not record an item only one side changed since the last sync', () => {
    expect(planOne({ ...older, changedSinceSync: false }, newer, 0).conflicts).toEqual([]);
    expect(planOne(older, { ...newer, changedSinceSync: false }, 0).conflicts).toEqual([]);
  });

  it('does not record the same content stamped twice', () => {
    expect(planOne(older, { ...newer, fingerprint: F1 }, 0)).toEqual({ pull: [ITEM_ID], push: [], conflicts: [] });
  });

  it('records a conflict exactly on the rows of the table that say so, and every row is met (exhaustive, small keys)', () => {
    const rowsMet = new Set<string>();
    for (const { windowMs, local, remote } of smallCases()) {
      const order = referenceCompare(remote, local, windowMs);
      if (order === 0) {
        expect(planOne(local, remote, windowMs).conflicts).toEqual([]);
        continue;
      }
      const [winner, loser, side] = order > 0 ? [remote, local, 'remote'] : [local, remote, 'local'];
      rowsMet.add(rowOf(factsOf(winner, loser)));
      const expected = expectedConflict(winner, loser) ? [{ itemId: ITEM_ID, winner: side }] : [];
      const { conflicts } = planOne(local, remote, windowMs);
      if (conflicts.length !== expected.length || conflicts[0]?.winner !== expected[0]?.winner) {
        expect({ windowMs, local, remote, conflicts }).toEqual({ windowMs, local, remote, conflicts: expected });
      }
    }
    expect([...rowsMet].sort()).toEqual(Object.keys(CONFLICT_TABLE).sort());
  });

  it('puts a conflict item in pull when the remote side won and in push when the local side did, once', () => {
    fc.assert(
      fc.property(planInputArb(), ({ windowMs, ids, local, remote }) => {
        const plan = planMerge(ids, local, remote, windowMs);
        const conflictIds = plan.conflicts.map((c) => c.itemId);
        expect(new Set(conflictIds).size).toBe(conflictIds.length);
        for (const { itemId, winner } of plan.conflicts) {
          expect(winner === 'remote' ? plan.pull : plan.push).toContain(itemId);
          expect(winner === 'remote' ? plan.push : plan.pull).not.toContain(itemId);
          const [w, l] =
            winner === 'remote' ? [remote.get(itemId)!, local.get(itemId)!] : [local.get(itemId)!, remote.get(itemId)!];
          expect(expectedConflict(w, l)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('planMerge: symmetry', () => {
  it('swapping local and remote swaps pull and push and flips every conflict winner', () => {
    fc.assert(
      fc.property(planInputArb(), ({ windowMs, ids, local, remote }) => {
        const plan = planMerge(ids, local, remote, windowMs);
        const swapped = planMerge(ids, remote, local, windowMs);
        expect(swapped.pull).toEqual(plan.push);
        expect(swapped.push).toEqual(plan.pull);
        const flip = (w: 'local' | 'remote') => (w === 'local' ? 'remote' : 'local');
        expect(swapped.conflicts).toEqual(plan.conflicts.map((c) => ({ itemId: c.itemId, winner: flip(c.winner) })));
      }),
      RUNS,
    );
  });
});
