import fc from 'fast-check';
import { bucketOf, compareVersions, stampWrite, wins } from '../../src/core/winner';
import type { VersionKey } from '../../src/core/version';
import {
  aVersion,
  BASE_MS,
  chainOfVersionsArb,
  DAY_MS,
  nowNearArb,
  relatedVersionArb,
  versionArb,
  windowArb,
} from '../factories/versions';

const RUNS = { numRuns: 1500 };

/** -0 and 0 are the same sign here. */
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

/** API.md's key as a tuple, written independently of winner.ts (modulo arithmetic, Buffer byte order). */
function referenceKey(v: VersionKey, windowMs: number): Array<number | string> {
  const bucket = windowMs > 0 ? (v.updatedAtMs - (((v.updatedAtMs % windowMs) + windowMs) % windowMs)) / windowMs : v.updatedAtMs;
  return [bucket, v.priority, v.updatedAtMs, v.origin, v.fingerprint];
}

function referenceCompare(a: VersionKey, b: VersionKey, windowMs: number): number {
  const [ka, kb] = [referenceKey(a, windowMs), referenceKey(b, windowMs)];
  for (let i = 0; i < ka.length; i++) {
    const [x, y] = [ka[i], kb[i]];
    const c = typeof x === 'number' ? sign(x - (y as number)) : Buffer.compare(Buffer.from(x), Buffer.from(y as string));
    if (c !== 0) return c;
  }
  return 0;
}

const pairArb = chainOfVersionsArb(2);
const tripleArb = chainOfVersionsArb(3);

describe('bucketOf', () => {
  it('is the update time itself when the window is 0', () => {
    expect(bucketOf(BASE_MS + 7, 0)).toBe(BASE_MS + 7);
    expect(bucketOf(-5, 0)).toBe(-5);
  });

  it('puts the first and last millisecond of a window in one bucket and the next millisecond in the next', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: DAY_MS }), fc.integer({ min: -1000, max: 1_000_000 }), (w, b) => {
        expect(bucketOf(b * w, w)).toBe(b);
        expect(bucketOf(b * w + w - 1, w)).toBe(b);
        expect(bucketOf((b + 1) * w, w)).toBe(b + 1);
      }),
      RUNS,
    );
  });
});

describe('compareVersions is a total order for any window', () => {
  it('has the sign of the reference key (bucket, priority, updatedAt, origin, fingerprint)', () => {
    fc.assert(
      fc.property(pairArb, ({ windowMs, versions: [a, b] }) => {
        expect(sign(compareVersions(a, b, windowMs))).toBe(referenceCompare(a, b, windowMs));
      }),
      RUNS,
    );
  });

  it('is antisymmetric', () => {
    fc.assert(
      fc.property(pairArb, ({ windowMs, versions: [a, b] }) => {
        expect(sign(compareVersions(a, b, windowMs))).toBe(-sign(compareVersions(b, a, windowMs)) || 0);
      }),
      RUNS,
    );
  });

  it('is 0 exactly when updatedAt, priority, origin and fingerprint are all equal', () => {
    fc.assert(
      fc.property(pairArb, ({ windowMs, versions: [a, b] }) => {
        const same =
          a.updatedAtMs === b.updatedAtMs &&
          a.priority === b.priority &&
          a.origin === b.origin &&
          a.fingerprint === b.fingerprint;
        expect(compareVersions(a, b, windowMs) === 0).toBe(same);
        expect(compareVersions(a, a, windowMs)).toBe(0);
      }),
      RUNS,
    );
  });

  it('is transitive for > and for >=', () => {
    fc.assert(
      fc.property(tripleArb, ({ windowMs, versions: [a, b, c] }) => {
        const cmp = (x: VersionKey, y: VersionKey) => compareVersions(x, y, windowMs);
        if (cmp(a, b) > 0 && cmp(b, c) > 0) expect(cmp(a, c)).toBeGreaterThan(0);
        if (cmp(a, b) >= 0 && cmp(b, c) >= 0) expect(cmp(a, c)).toBeGreaterThanOrEqual(0);
        if (cmp(a, b) < 0 && cmp(b, c) < 0) expect(cmp(a, c)).toBeLessThan(0);
      }),
      RUNS,
    );
  });

  it('makes wins the strict part of the order: never both ways', () => {
    fc.assert(
      fc.property(pairArb, ({ windowMs, versions: [a, b] }) => {
        expect(wins(a, b, windowMs)).toBe(compareVersions(a, b, windowMs) > 0);
        expect(wins(a, b, windowMs) && wins(b, a, windowMs)).toBe(false);
      }),
      RUNS,
    );
  });

  it('ranks bucket over priority over time over origin over fingerprint', () => {
    const w = 1000;
    const at = (t: number, more: Partial<VersionKey> = {}) => aVersion({ updatedAtMs: t, ...more });
    expect(wins(at(2000, { priority: -9 }), at(1999, { priority: 9 }), w)).toBe(true);
    expect(wins(at(1000, { priority: 1 }), at(1999, { priority: 0 }), w)).toBe(true);
    expect(wins(at(1500), at(1400), w)).toBe(true);
    expect(wins(at(1500, { origin: 'b' }), at(1500, { origin: 'a' }), w)).toBe(true);
    expect(wins(at(1500, { fingerprint: 'f'.repeat(40) }), at(1500, { fingerprint: '0'.repeat(40) }), w)).toBe(true);
  });

  it('orders origins by bytes: - < 0 < _ < a, and a prefix before its extensions', () => {
    const ranked = ['-', '0', '_', 'a', 'a-', 'b'].map((origin) => aVersion({ origin }));
    for (let i = 1; i < ranked.length; i++) expect(wins(ranked[i], ranked[i - 1], 0)).toBe(true);
  });

  it('lets the later write win whatever the priority when the window is 0', () => {
    expect(wins(aVersion({ updatedAtMs: BASE_MS + 1, priority: -5 }), aVersion({ priority: 5 }), 0)).toBe(true);
  });

  it('stays transitive where a pairwise "|Δt| < window" rule would cycle', () => {
    const w = 10;
    const [a, b, c] = [
      aVersion({ updatedAtMs: 0, priority: 2 }),
      aVersion({ updatedAtMs: 8, priority: 1 }),
      aVersion({ updatedAtMs: 16, priority: 0 }),
    ];
    const pairwise = (x: VersionKey, y: VersionKey) =>
      Math.abs(x.updatedAtMs - y.updatedAtMs) < w ? x.priority > y.priority : x.updatedAtMs > y.updatedAtMs;
    expect([pairwise(a, b), pairwise(b, c), pairwise(c, a)]).toEqual([true, true, true]); // a > b > c > a
    expect([wins(c, a, w), wins(a, b, w), wins(c, b, w)]).toEqual([true, true, true]); // c > a > b
  });
});

describe('stampWrite', () => {
  const scenarioArb = windowArb.chain((windowMs) =>
    versionArb(windowMs).chain((current) =>
      fc.record({
        windowMs: fc.constant(windowMs),
        current: fc.constant(current),
        writer: relatedVersionArb(current, windowMs).map(({ updatedAtMs: _t, ...writer }) => writer),
        nowMs: nowNearArb(current.updatedAtMs, windowMs),
      }),
    ),
  );

  it('stamps a new item with the node clock itself', () => {
    fc.assert(
      fc.property(scenarioArb, ({ windowMs, writer, nowMs }) => {
        expect(stampWrite(writer, undefined, nowMs, windowMs)).toBe(nowMs);
      }),
      RUNS,
    );
  });

  it('returns the smallest millisecond >= now whose key beats the current version', () => {
    fc.assert(
      fc.property(scenarioArb, ({ windowMs, current, writer, nowMs }) => {
        const stamped = stampWrite(writer, current, nowMs, windowMs);
        const beats = (t: number) => referenceCompare({ ...writer, updatedAtMs: t }, current, windowMs) > 0;
        expect(Number.isSafeInteger(stamped)).toBe(true);
        expect(stamped).toBeGreaterThanOrEqual(nowMs);
        expect(beats(stamped)).toBe(true);
        if (stamped - 1 >= nowMs) expect(beats(stamped - 1)).toBe(false);
        if (stamped - nowMs <= 2000) for (let t = nowMs; t < stamped; t++) expect(beats(t)).toBe(false);
      }),
      RUNS,
    );
  });

  const current = aVersion({ updatedAtMs: BASE_MS + 1234, priority: 5, origin: 'b', fingerprint: '5'.repeat(40) });
  const writer = (more: Partial<VersionKey> = {}) => ({ priority: 5, origin: 'c', fingerprint: '1'.repeat(40), ...more });

  it('lets a node whose clock runs behind still supersede the current version', () => {
    const stamped = stampWrite(writer({ origin: 'a' }), current, BASE_MS - DAY_MS, 0);
    expect(stamped).toBe(current.updatedAtMs + 1);
    expect(wins({ ...writer({ origin: 'a' }), updatedAtMs: stamped }, current, 0)).toBe(true);
  });

  it('uses a clock that is ahead of the current version as it is', () => {
    expect(stampWrite(writer({ priority: -3 }), current, BASE_MS + 3 * DAY_MS, 10_000)).toBe(BASE_MS + 3 * DAY_MS);
  });

  it('moves a lower-priority writer inside the window to the start of the next bucket', () => {
    const w = 10_000;
    const nextBucket = (bucketOf(current.updatedAtMs, w) + 1) * w;
    expect(stampWrite(writer({ priority: 0 }), current, current.updatedAtMs + 10, w)).toBe(nextBucket);
    expect(stampWrite(writer({ priority: 0 }), current, current.updatedAtMs - 10, w)).toBe(nextBucket);
  });

  it('keeps the clock of a higher-priority writer inside the window, even behind the current time', () => {
    const w = 10_000;
    const now = current.updatedAtMs - 100;
    expect(bucketOf(now, w)).toBe(bucketOf(current.updatedAtMs, w));
    expect(stampWrite(writer({ priority: 6 }), current, now, w)).toBe(now);
  });

  it('breaks a same-priority, same-time tie by origin: greater keeps the time, smaller takes the next ms', () => {
    for (const w of [0, 1, 10_000]) {
      expect(stampWrite(writer({ origin: 'c' }), current, current.updatedAtMs, w)).toBe(current.updatedAtMs);
      expect(stampWrite(writer({ origin: 'a' }), current, current.updatedAtMs, w)).toBe(current.updatedAtMs + 1);
    }
  });

  it('breaks a same-origin tie by fingerprint, and moves an identical rewrite one ms on', () => {
    const at = current.updatedAtMs;
    expect(stampWrite(writer({ origin: 'b', fingerprint: '9'.repeat(40) }), current, at, 0)).toBe(at);
    expect(stampWrite(writer({ origin: 'b', fingerprint: '1'.repeat(40) }), current, at, 0)).toBe(at + 1);
    expect(stampWrite(writer({ origin: 'b', fingerprint: current.fingerprint }), current, at, 0)).toBe(at + 1);
  });
});
