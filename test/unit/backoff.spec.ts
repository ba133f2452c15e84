import fc from 'fast-check';
import { MAX_BACKOFF_MS, nextDelay, retryDelay } from '../../src/sync/backoff';

const RUNS = { numRuns: 1000 };

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
