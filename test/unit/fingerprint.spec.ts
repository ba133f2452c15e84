import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  canonicalData,
  contentDocument,
  dataOfDocument,
  fingerprintOf,
  fingerprintOfCanonical,
} from '../../src/core/fingerprint';

const RUNS = { numRuns: 500 };

/** SHA-1 of a canonical string written out by hand. */
const sha1 = (canonical: string) => createHash('sha1').update(canonical, 'utf8').digest('hex');

/** Rebuilds every object in `value` with its keys inserted in a shuffled order. */
function withShuffledKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => withShuffledKeys(v, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, withShuffledKeys(v, random)]));
}

/** A small deterministic generator, so a failing shuffle replays from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** JSON with object keys sorted: equal exactly when two values have the same canonical form. */
const sortedJson = (value: unknown): string => JSON.stringify(withSortedKeys(value));
function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, withSortedKeys((value as Record<string, unknown>)[k])]),
  );
}

const dataArb = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { minKeys: 2, maxKeys: 8 });

describe('fingerprintOf', () => {
  it('equals the fingerprint taken over the canonical text of data alone (one serialisation per body)', () => {
    fc.assert(
      fc.property(dataArb, fc.boolean(), (data, deleted) => {
        expect(fingerprintOfCanonical(canonicalData(data), deleted)).toBe(fingerprintOf(data, deleted));
      }),
      RUNS,
    );
    expect(fingerprintOfCanonical(null, true)).toBe(fingerprintOf(null, true));
  });

  it("reads the data text back out of a live version's document", () => {
    fc.assert(
      fc.property(dataArb, (data) => {
        const text = canonicalData(data);
        expect(dataOfDocument(contentDocument(text, false))).toBe(text);
      }),
      RUNS,
    );
  });

  it('is the SHA-1 of the canonical {"data","deleted"} document, keys sorted', () => {
    const fp = fingerprintOf({ b: [true, null, 'x'], a: 1 }, false);
    expect(fp).toBe(sha1('{"data":{"a":1,"b":[true,null,"x"]},"deleted":false}'));
    expect(fp).toBe('0c68800c0c68d1f29b857d761a1851da4db87b5c');
  });

  it('fingerprints a tombstone as {"data":null,"deleted":true}', () => {
    expect(fingerprintOf(null, true)).toBe('8ccc3aba26dfc343698353ab0f6f6155f508f82e');
    expect(fingerprintOf(null, true)).toBe(sha1('{"data":null,"deleted":true}'));
  });

  it('is 40 lowercase hex digits', () => {
    fc.assert(
      fc.property(dataArb, fc.boolean(), (data, deleted) => {
        expect(fingerprintOf(data, deleted)).toMatch(/^[0-9a-f]{40}$/);
      }),
      RUNS,
    );
  });

  it('does not depend on the order keys were inserted, at any depth', () => {
    fc.assert(
      fc.property(dataArb, fc.integer(), (data, seed) => {
        const shuffled = withShuffledKeys(data, seeded(seed)) as object;
        expect(fingerprintOf(shuffled, false)).toBe(fingerprintOf(data, false));
      }),
      RUNS,
    );
    expect(fingerprintOf({ z: { y: 1, x: 2 }, a: 0 }, false)).toBe(fingerprintOf({ a: 0, z: { x: 2, y: 1 } }, false));
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 requires', () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF61 in UTF-16 (not in code points).
    expect(fingerprintOf({ '\uff61': 2, '\u{1f600}': 1, B: 0, a: 3 }, false)).toBe(
      sha1('{"data":{"B":0,"a":3,"\u{1f600}":1,"\uff61":2},"deleted":false}'),
    );
  });

  it('writes numbers in their shortest ECMAScript form: 1.0 as 1, 1e21 as 1e+21, -0 as 0', () => {
    expect(fingerprintOf(JSON.parse('{"n":1.0}'), false)).toBe(sha1('{"data":{"n":1},"deleted":false}'));
    expect(fingerprintOf({ n: 1e21 }, false)).toBe(sha1('{"data":{"n":1e+21},"deleted":false}'));
    expect(fingerprintOf({ n: -0 }, false)).toBe(sha1('{"data":{"n":0},"deleted":false}'));
    expect(fingerprintOf({ n: 1e-7, m: 0.1 + 0.2 }, false)).toBe(
      sha1('{"data":{"m":0.30000000000000004,"n":1e-7},"deleted":false}'),
    );
  });

  it('keeps non-ASCII text as UTF-8 and escapes control characters', () => {
    expect(fingerprintOf({ s: 'café €\n\u001f' }, false)).toBe(sha1('{"data":{"s":"café €\\n\\u001f"},"deleted":false}'));
  });

  it('gives different fingerprints to different content', () => {
    expect(fingerprintOf({}, false)).toBe('6bbd2d79b048f381fa28b6e245d099518e1165da');
    expect(fingerprintOf({}, false)).not.toBe(fingerprintOf({}, true));
    expect(fingerprintOf({ a: 1 }, false)).not.toBe(fingerprintOf({ a: '1' }, false));
    expect(fingerprintOf({ a: [1, 2] }, false)).not.toBe(fingerprintOf({ a: [2, 1] }, false));
    expect(fingerprintOf({ a: null }, false)).not.toBe(fingerprintOf({}, false));
    fc.assert(
      fc.property(dataArb, fc.string(), fc.jsonValue(), fc.jsonValue(), (data, key, x, y) => {
        fc.pre(sortedJson(x) !== sortedJson(y));
        expect(fingerprintOf({ ...data, [key]: x }, false)).not.toBe(fingerprintOf({ ...data, [key]: y }, false));
      }),
      RUNS,
    );
  });
});
