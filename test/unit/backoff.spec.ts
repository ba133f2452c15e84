import fc from 'fast-check';
import { MAX_BACKOFF_MS, nextDelay, retryDelay } from '../../src/sync/backoff';
import { chunkBySize } from '../../src/sync/body-mover';
import { MAX_IDS_PER_BATCH, TARGET_REQUEST_BYTES } from '../../src/core/limits';

const RUNS = { numRuns: 1000 };

/** Mirrors body-mover's private limits: a chunk's bodies stay under this many bytes, and ≤ 1000 ids. */
const TARGET_BYTES = TARGET_REQUEST_BYTES;
const MAX_IDS = MAX_IDS_PER_BATCH;

/** The largest delay setTimeout honours; anything longer fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** SYNC_INTERVAL_MS as the scheduler uses it (0 turns scheduling off, so never reaches nextDelay). */
const intervalArb = fc.oneof(
  fc.integer({ min: 1, max: 60_000 }),
  fc.integer({ min: 1, max: 2 * MAX_BACKOFF_MS }),
  fc.integer({ min: 1, max: MAX_TIMER_MS }),
);
const randomArb = fc.oneof(
  fc.constantFrom(0, 0.5, 1 - Number.EPSILON),
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
);

/** `base` jittered by ±20%, rounded as nextDelay rounds. */
const within20 = (delay: number, base: number) => {
  expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
  expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.2));
};

describe('nextDelay', () => {
  it('is the interval ±20% after a success', () => {
    fc.assert(
      fc.property(intervalArb, randomArb, (interval, random) => {
        within20(nextDelay(interval, 0, random), interval);
      }),
      RUNS,
    );
    expect(nextDelay(30_000, 0, 0)).toBe(24_000);
    expect(nextDelay(30_000, 0, 0.5)).toBe(30_000);
  });

  it('doubles with each consecutive failure', () => {
    expect([1, 2, 3, 4].map((f) => nextDelay(1000, f, 0.5))).toEqual([2000, 4000, 8000, 16_000]);
    fc.assert(
      fc.property(intervalArb, fc.integer({ min: 0, max: 60 }), randomArb, (interval, failures, random) => {
        expect(nextDelay(interval, failures + 1, random)).toBeGreaterThanOrEqual(nextDelay(interval, failures, random));
      }),
      RUNS,
    );
  });

  it('is capped at max(MAX_BACKOFF_MS, interval) ±20%, however many failures', () => {
    fc.assert(
      fc.property(intervalArb, fc.integer({ min: 1, max: 10_000 }), randomArb, (interval, failures, random) => {
        const cap = Math.max(MAX_BACKOFF_MS, interval);
        const delay = nextDelay(interval, failures, random);
        expect(delay).toBeLessThanOrEqual(Math.ceil(cap * 1.2));
        expect(delay).toBeGreaterThanOrEqual(Math.floor(Math.min(interval * 2 ** failures, cap) * 0.8));
      }),
      RUNS,
    );
    within20(nextDelay(1000, 1000, 0.3), MAX_BACKOFF_MS);
    within20(nextDelay(10 * MAX_BACKOFF_MS, 3, 0.7), 10 * MAX_BACKOFF_MS);
  });

  it('never exceeds what setTimeout can wait, nor drops to nothing', () => {
    fc.assert(
      fc.property(intervalArb, fc.integer({ min: 0, max: 10_000 }), randomArb, (interval, failures, random) => {
        const delay = nextDelay(interval, failures, random);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(MAX_TIMER_MS);
      }),
      RUNS,
    );
  });
});

describe('retryDelay', () => {
  it('is positive, at most 2000 ms, and grows with the round', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), randomArb, (round, random) => {
        const delay = retryDelay(round, random);
        expect(delay).toBeGreaterThan(0);
        expect(delay).toBeLessThanOrEqual(2000);
        expect(retryDelay(round + 1, random)).toBeGreaterThanOrEqual(delay);
      }),
      RUNS,
    );
    expect(retryDelay(1, 0)).toBe(25);
    expect(retryDelay(100, 1 - Number.EPSILON)).toBe(2000);
  });
});

describe('chunkBySize', () => {
  /** Ids with body sizes: mostly small, some near the target, some over it, some unknown (no size). */
  const sizedIdsArb = fc
    .array(
      fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 2000 }), weight: 4 },
        { arbitrary: fc.integer({ min: TARGET_BYTES / 4, max: TARGET_BYTES }), weight: 2 },
        { arbitrary: fc.integer({ min: TARGET_BYTES + 1, max: 4 * TARGET_BYTES }), weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      { maxLength: 60 },
    )
    .map((sizes) => {
      const ids = sizes.map((_, i) => `id-${i}`);
      const known = new Map<string, number>();
      sizes.forEach((size, i) => size !== undefined && known.set(ids[i], size));
      return { ids, sizes: known };
    });

  const bytesOf = (chunk: string[], sizes: ReadonlyMap<string, number>) =>
    chunk.reduce((sum, id) => sum + (sizes.get(id) ?? 0), 0);

  it('keeps every id once, in order, in non-empty chunks of at most 1000', () => {
    fc.assert(
      fc.property(sizedIdsArb, ({ ids, sizes }) => {
        const chunks = chunkBySize(ids, sizes);
        expect(chunks.flat()).toEqual(ids);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(MAX_IDS);
        }
      }),
      RUNS,
    );
  });

  it('keeps each chunk under the byte target unless it is a single bigger item, and cuts only when it must', () => {
    fc.assert(
      fc.property(sizedIdsArb, ({ ids, sizes }) => {
        const chunks = chunkBySize(ids, sizes);
        chunks.forEach((chunk, i) => {
          if (chunk.length > 1) expect(bytesOf(chunk, sizes)).toBeLessThanOrEqual(TARGET_BYTES);
          const next = chunks[i + 1];
          if (next)
            expect(chunk.length === MAX_IDS || bytesOf(chunk, sizes) + (sizes.get(next[0]) ?? 0) > TARGET_BYTES).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('cuts many small items at 1000 ids and nothing at all into no chunks', () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `id-${i}`);
    expect(chunkBySize(ids, new Map()).map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(chunkBySize([], new Map())).toEqual([]);
    const huge = new Map([
      ['a', TARGET_BYTES * 3],
      ['b', 1],
      ['c', TARGET_BYTES],
    ]);
    expect(chunkBySize(['a', 'b', 'c'], huge)).toEqual([['a'], ['b'], ['c']]);
  });
});
