import fc from 'fast-check';
import type { VersionKey } from '../../src/core/version';

/**
 * Arbitraries for winner-rule keys. Pools are kept small on purpose so that
 * equal priorities, equal times, shared buckets, equal origins and equal
 * fingerprints all turn up often: that is where a broken tie-break hides.
 */

/** 2026-11-21T00:00:00Z: a realistic epoch for logical times. */
export const BASE_MS = Date.UTC(2026, 10, 21);
export const DAY_MS = 86_400_000;

/** 0 (no window), tiny windows, and large ones up to a day. */
export const windowArb: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 11, max: DAY_MS }),
);

/** Small values (collide often), negatives, and the full NODE_PRIORITY range. */
export const priorityArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 4 },
  { arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), weight: 1 },
);

/** Node ids: a tiny alphabet spanning `-` < `0` < `_` < `a` in byte order, plus any valid id. */
export const originArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[-0_a]{1,2}$/), weight: 4 },
  { arbitrary: fc.stringMatching(/^[a-z0-9_-]{1,32}$/), weight: 1 },
);

const FINGERPRINT_POOL = ['0'.repeat(40), 'f'.repeat(40), `a${'0'.repeat(39)}`, `0${'f'.repeat(39)}`];

export const fingerprintArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...FINGERPRINT_POOL), weight: 4 },
  { arbitrary: fc.stringMatching(/^[0-9a-f]{40}$/), weight: 1 },
);

/**
 * Times near BASE_MS (or near 0, where buckets go negative), biased to bucket
 * edges: the first and last millisecond of a handful of adjacent buckets.
 */
export function timeArb(windowMs: number): fc.Arbitrary<number> {
  return fc.constantFrom(BASE_MS, 0).chain((base) => {
    if (windowMs === 0) return fc.integer({ min: base - 3, max: base + 3 });
    const first = Math.floor(base / windowMs);
    return fc
      .tuple(
        fc.integer({ min: first - 2, max: first + 2 }),
        fc.oneof(fc.constant(0), fc.constant(windowMs - 1), fc.integer({ min: 0, max: windowMs - 1 })),
      )
      .map(([bucket, offset]) => bucket * windowMs + offset);
  });
}

export function versionArb(windowMs: number): fc.Arbitrary<VersionKey> {
  return fc.record({
    updatedAtMs: timeArb(windowMs),
    priority: priorityArb,
    origin: originArb,
    fingerprint: fingerprintArb,
  });
}

/** A version that keeps each of `base`'s components with probability 1/2, so fully equal keys occur. */
export function relatedVersionArb(base: VersionKey, windowMs: number): fc.Arbitrary<VersionKey> {
  const keepOr = <T>(value: T, fresh: fc.Arbitrary<T>) => fc.oneof(fc.constant(value), fresh);
  return fc.record({
    updatedAtMs: keepOr(base.updatedAtMs, timeArb(windowMs)),
    priority: keepOr(base.priority, priorityArb),
    origin: keepOr(base.origin, originArb),
    fingerprint: keepOr(base.fingerprint, fingerprintArb),
  });
}

/** A window and `count` versions, each related to the one before it. */
export function chainOfVersionsArb(count: number): fc.Arbitrary<{ windowMs: number; versions: VersionKey[] }> {
  return windowArb.chain((windowMs) => {
    let arb: fc.Arbitrary<VersionKey[]> = versionArb(windowMs).map((v) => [v]);
    for (let i = 1; i < count; i++) {
      arb = arb.chain((vs) => relatedVersionArb(vs[vs.length - 1], windowMs).map((v) => [...vs, v]));
    }
    return arb.map((versions) => ({ windowMs, versions }));
  });
}

/** Write attributes (everything but the time) for `stampWrite`. */
export const writerArb: fc.Arbitrary<Omit<VersionKey, 'updatedAtMs'>> = fc.record({
  priority: priorityArb,
  origin: originArb,
  fingerprint: fingerprintArb,
});

/** A clock reading relative to `currentMs`: equal, a few ms either side, ± whole days, or anywhere within two windows. */
export function nowNearArb(currentMs: number, windowMs: number): fc.Arbitrary<number> {
  return fc
    .oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.integer({ min: -3, max: 3 }).map((days) => days * DAY_MS),
      fc.integer({ min: -2 * windowMs - 1, max: 2 * windowMs + 1 }),
    )
    .map((delta) => currentMs + delta);
}

export function aVersion(overrides: Partial<VersionKey> = {}): VersionKey {
  return { updatedAtMs: BASE_MS, priority: 0, origin: 'b', fingerprint: '5'.repeat(40), ...overrides };
}
