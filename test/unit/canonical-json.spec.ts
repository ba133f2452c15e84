import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, storableCanonicalJson } from '../../src/core/canonical-json';
import { contentProblem } from '../../src/core/json-data';
import { MAX_DATA_DEPTH } from '../../src/core/limits';
import { jsonValueArb } from '../factories/json-values';

const RUNS = { numRuns: 3000 };

/** Any UTF-16 code unit: control characters, quotes, backslashes, lone and paired surrogates. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: codeUnit }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '/',
      '\n',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\ud800',
      '\udc00',
      '😀',
      'é',
      '\uff61',
      'a',
    ),
  }),
);
/** JSON values with keys that need UTF-16 ordering and escapes, up to a few levels deep. */
const json = { value: jsonValueArb({ text }, { maxLength: 5, maxKeys: 6 }) };
const data = fc.dictionary(text, json.value, { maxKeys: 8 });

/** `levels` arrays inside each other under one key. */
function nested(levels: number): object {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return { a: value };
}

describe('canonicalJson', () => {
  it('is the canonicalize library (RFC 8785) on any JSON value', () => {
    fc.assert(
      fc.property(json.value, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      RUNS,
    );
  });

  it('is the library on parsed JSON text, __proto__ and duplicate keys included', () => {
    fc.assert(
      fc.property(data, (value) => {
        const parsed = JSON.parse(JSON.stringify(value));
        expect(canonicalJson(parsed)).toBe(canonicalize(parsed));
      }),
      RUNS,
    );
    const parsed = JSON.parse('{"__proto__":{"b":1},"z":2,"z":[1e21,-0,5e-324,1.0],"toJSON":"x"}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"b":1},"toJSON":"x","z":[1e+21,0,5e-324,1]}');
    expect(canonicalJson(parsed)).toBe(canonicalize(parsed));
  });

  it('sorts keys by UTF-16 code units and writes numbers and strings as ECMAScript does', () => {
    const value = { '\uff61': 2, '\u{1f600}': 1, B: 0, a: [1e21, 1e-7, -0, 5e-324, 'é\n\u001f"\\'] };
    expect(canonicalJson(value)).toBe('{"B":0,"a":[1e+21,1e-7,0,5e-324,"é\\n\\u001f\\"\\\\"],"\u{1f600}":1,"\uff61":2}');
  });

  it('treats what JSON.stringify skips as the library does, and has no form for what has none', () => {
    const odd = { u: undefined, s: Symbol('s'), list: [undefined, 1], when: new Date(0) };
    expect(canonicalJson(odd)).toBe(canonicalize(odd));
    for (const none of [undefined, NaN, Infinity, { n: -Infinity }, [NaN], () => 1, 1n, { f: 1n }]) {
      expect(canonicalJson(none)).toBeUndefined();
    }
  });
});

describe('storableCanonicalJson', () => {
  it('is the canonical JSON of exactly the data contentProblem accepts', () => {
    fc.assert(
      fc.property(data, (value) => {
        const canonical = storableCanonicalJson(value);
        if (contentProblem(value) === undefined) expect(canonical).toBe(canonicalize(value));
        else expect(canonical).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('refuses \\u0000 and unpaired surrogates in strings and keys, non-JSON values and too deep nesting', () => {
    for (const bad of [
      { s: 'a\u0000' },
      { 'k\u0000': 1 },
      { s: ['\ud800'] },
      { '\udc00': 1 },
      { n: NaN },
      { u: undefined },
      { f: () => 1 },
      { d: new Date(0) },
      nested(MAX_DATA_DEPTH),
    ]) {
      expect(storableCanonicalJson(bad)).toBeUndefined();
    }
    expect(storableCanonicalJson(nested(MAX_DATA_DEPTH - 1))).toBe(canonicalize(nested(MAX_DATA_DEPTH - 1)));
    expect(contentProblem(nested(MAX_DATA_DEPTH - 1))).toBeUndefined();
    expect(contentProblem(nested(MAX_DATA_DEPTH))).toMatch(/nested deeper/);
    expect(storableCanonicalJson({ s: '😀 \u2028 "q" \\ \n' })).toBe(canonicalize({ s: '😀 \u2028 "q" \\ \n' }));
  });
});
