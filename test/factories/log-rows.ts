import fc from 'fast-check';

/** A row of the items table as the log sees it: where it sits, where it came from, when, and its body's size. */
export interface LogRowSpec {
  source: string | null;
  xid: number;
  seq: number;
  /** Seconds after LOG_ROWS_EPOCH. */
  recordedAfterS: number;
  /** The text of its one data field; null for a tombstone. */
  body: string | null;
}

export const LOG_ROWS_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Rows of this node's own writes (source null) and of a few peers, at
 * positions of a few old transactions (so all lie below the log horizon),
 * interleaved in any order; each has a distinct sequence number.
 */
export const logRowsArb: fc.Arbitrary<LogRowSpec[]> = fc
  .array(
    fc.record({
      source: fc.constantFrom(null, 'p', 'q', 'r'),
      xid: fc.integer({ min: 1, max: 12 }),
      recordedAfterS: fc.integer({ min: 0, max: 20 }),
      body: fc.option(fc.string({ maxLength: 200 }), { nil: null, freq: 4 }),
    }),
    { maxLength: 40 },
  )
  .chain((rows) =>
    fc
      .shuffledSubarray(
        rows.map((_, i) => i + 1),
        { minLength: rows.length, maxLength: rows.length },
      )
      .map((seqs) => rows.map((row, i) => ({ ...row, seq: seqs[i] }))),
  );
