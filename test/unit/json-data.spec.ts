import fc from 'fast-check';
import { dataProblem } from '../../src/core/json-data';
import { MAX_DATA_BYTES, MAX_DATA_DEPTH } from '../../src/core/limits';

/** `levels` objects inside each other, the outermost being `data` itself: {"a":{"a":…{}}}. */
function nested(levels: number): object {
  let value: object = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** `data` holding `levels - 1` arrays inside each other: {"a":[[…[]]]}. */
function nestedArrays(levels: number): object {
  let value: unknown[] = [];
  for (let i = 2; i < levels; i++) value = [value];
  return { a: value };
}

/** An object whose JSON serialisation is exactly `bytes` UTF-8 bytes long. */
function ofSerialisedSize(bytes: number): object {
  const overhead = Buffer.byteLength(JSON.stringify({ s: '' }));
  return { s: 'x'.repeat(bytes - overhead) };
}

describe('dataProblem', () => {
  it('accepts ordinary nested objects with unicode text, numbers, booleans and nulls', () => {
    const data = {
      name: 'Zoë 😀',
      city: 'Kraków',
      tags: ['café', 'ñandú', '日本'],
      n: -1.5e300,
      ok: false,
      none: null,
      deep: { x: [{ y: 1 }] },
    };
    expect(dataProblem(data)).toBeUndefined();
    expect(dataProblem({})).toBeUndefined();
  });

  it('accepts any object of printable strings and finite numbers', () => {
    const value = fc.jsonValue({ maxDepth: 4, depthSize: 'small' });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (data) => {
        fc.pre(!JSON.stringify(data).includes('\\u0000'));
        expect(dataProblem(JSON.parse(JSON.stringify(data)))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['an array', [1, 2]],
    ['null', null],
    ['a string', '{"a":1}'],
    ['a number', 42],
    ['a boolean', true],
    ['undefined', undefined],
  ])('rejects %s, because data must be an object', (_what, data) => {
    expect(dataProblem(data)).toMatch(/object/);
  });

  it('rejects \\u0000 in a value, naming where it is', () => {
    expect(dataProblem({ a: 'x\u0000y' })).toMatch(/data\.a.*\\u0000/);
    expect(dataProblem({ a: { b: ['ok', '\u0000'] } })).toMatch(/data\.a\.b\[1\].*\\u0000/);
  });

  it('rejects \\u0000 in a key', () => {
    expect(dataProblem({ 'k\u0000': 1 })).toMatch(/key.*\\u0000/);
    expect(dataProblem({ a: { '\u0000': null } })).toMatch(/key.*\\u0000/);
  });

  it('rejects unpaired surrogates in values and keys but accepts a proper pair', () => {
    expect(dataProblem({ a: '\ud800' })).toMatch(/surrogate/);
    expect(dataProblem({ a: ['x\udc00y'] })).toMatch(/surrogate/);
    expect(dataProblem({ '\ud83d': 1 })).toMatch(/key.*surrogate/);
    expect(dataProblem({ a: '\ud83d\ude00' })).toBeUndefined();
  });

  it('rejects numbers JSON cannot carry: 1e400 parsed as Infinity, -Infinity, NaN', () => {
    const parsed = JSON.parse('{"a":1e400}');
    expect(parsed.a).toBe(Infinity);
    expect(dataProblem(parsed)).toMatch(/data\.a.*number/);
    expect(dataProblem({ a: [-Infinity] })).toMatch(/number/);
    expect(dataProblem({ a: { b: NaN } })).toMatch(/number/);
    expect(dataProblem({ a: Number.MAX_VALUE, b: -Number.MIN_VALUE })).toBeUndefined();
  });

  it('rejects values that are not JSON at all', () => {
    expect(dataProblem({ a: undefined })).toMatch(/not a JSON value/);
    expect(dataProblem({ a: () => 1 })).toMatch(/not a JSON value/);
    expect(dataProblem({ a: 1n })).toMatch(/not a JSON value/);
  });

  it(`accepts exactly ${MAX_DATA_DEPTH} nested levels and rejects one more`, () => {
    expect(dataProblem(nested(MAX_DATA_DEPTH))).toBeUndefined();
    expect(dataProblem(nested(MAX_DATA_DEPTH + 1))).toMatch(/nested deeper than/);
    expect(dataProblem(nestedArrays(MAX_DATA_DEPTH + 1))).toMatch(/nested deeper than/);
    expect(dataProblem(nestedArrays(MAX_DATA_DEPTH))).toBeUndefined();
  });

  it('refuses very deep nesting without exhausting the stack', () => {
    expect(dataProblem(nested(100_000))).toMatch(/nested deeper than/);
  });

  it(`accepts ${MAX_DATA_BYTES} bytes serialised and rejects one byte more`, () => {
    expect(Buffer.byteLength(JSON.stringify(ofSerialisedSize(MAX_DATA_BYTES)))).toBe(MAX_DATA_BYTES);
    expect(dataProblem(ofSerialisedSize(MAX_DATA_BYTES))).toBeUndefined();
    expect(dataProblem(ofSerialisedSize(MAX_DATA_BYTES + 1))).toMatch(/bytes/);
  });

  it('measures the size in UTF-8 bytes, not characters', () => {
    const data = { s: 'é'.repeat(MAX_DATA_BYTES / 2) };
    expect(JSON.stringify(data).length).toBeLessThan(MAX_DATA_BYTES);
    expect(dataProblem(data)).toMatch(/bytes/);
  });
});
