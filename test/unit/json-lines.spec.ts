import fc from 'fast-check';
import { jsonWithArrayLines, parseArrayLines, parseJsonChunks, utf8Lines } from '../../src/core/json-lines';

/** `text` as UTF-8 bytes cut at `cuts` (fractions of its length), the way a socket may deliver it. */
function chunked(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length));
}

const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });
const jsonArb = fc.jsonValue();
const textArb = fc.string({ unit: 'binary' });

/** Whatever the text, reading it in chunks answers what JSON.parse of the whole answers, or throws as it does. */
function expectSameAsJsonParse(text: string, cuts: number[]): void {
  let expected: unknown;
  try {
    expected = JSON.parse(text);
  } catch {
    expect(() => parseJsonChunks(chunked(text, cuts))).toThrow(SyntaxError);
    return;
  }
  expect(parseJsonChunks(chunked(text, cuts))).toEqual(expected);
}

describe('json-lines', () => {
  it('reads an answer written with its array a line per element, cut anywhere, as JSON.parse does', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), jsonArb),
        fc.array(jsonArb),
        fc.dictionary(fc.string(), jsonArb),
        cutsArb,
        (before, elements, after, cuts) => {
          const head = `${JSON.stringify({ ...before, list: 0 }).slice(0, -2)}[`;
          const tail = `]${Object.keys(after).length > 0 ? `,${JSON.stringify(after).slice(1)}` : '}'}`;
          const pieces = jsonWithArrayLines(
            head,
            elements.map((e) => JSON.stringify(e)),
            tail,
          );
          const text = pieces.join('');
          expect(parseArrayLines(utf8Lines(chunked(text, cuts)))).toEqual(JSON.parse(text));
          expectSameAsJsonParse(text, cuts);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers as JSON.parse for text framed any other way, valid or not', () => {
    const framings = fc.oneof(
      jsonArb.map((value) => JSON.stringify(value, null, 1)),
      fc
        .tuple(jsonArb, fc.array(jsonArb), jsonArb)
        .map(
          ([a, list, b]) =>
            `{"a":${JSON.stringify(a)},"k":[\n${list.map((e) => JSON.stringify(e)).join(',\n')}\n],"b":${JSON.stringify(b)}}`,
        ),
      fc
        .array(fc.oneof(textArb, fc.constantFrom('\n', ',\n', '[\n', '\n]', '{"k":[', '],"k":1}', '"\\u0000array"')), {
          maxLength: 8,
        })
        .map((parts) => parts.join('')),
    );
    fc.assert(fc.property(framings, cutsArb, expectSameAsJsonParse), { numRuns: 1000 });
  });

  it('leaves to JSON.parse the framings where the lines alone would answer differently', () => {
    const cases = [
      '{"entries":[\n1\n],"entries":5}', // a later member of the same name wins
      '{"x":["\\u0000array"],"y":{"z":[\n1\n]}}', // the stand-in appears in the text itself, the array is not a top-level member
      '{"__proto__":[\n1\n]}',
      '{"k":[\n1,\n\n2\n]}', // a blank line
      '{"k":[\n1\n2\n]}', // a comma missing
      '{"k":[\n1,\n2,\n]}', // a comma too many
      '{"k":[\n1,2,\n3\n]}', // two elements on one line
      '{"k":[\n1,\u00a0\n2\n]}', // not JSON whitespace
    ];
    for (const text of cases) expectSameAsJsonParse(text, []);
  });

  it('decodes characters cut between chunks whole', () => {
    const text = `{"k":[\n"é€😀",\n"\u2028"\n],"m":"ü"}`;
    for (let cut = 1; cut < Buffer.byteLength(text); cut++) {
      expect(parseJsonChunks(chunked(text, [cut / Buffer.byteLength(text)]))).toEqual(JSON.parse(text));
    }
  });

  it('writes pieces that join to the text with the array one element per line', () => {
    const elements = Array.from({ length: 300 }, (_, n) => JSON.stringify({ n, body: 'x'.repeat(500) }));
    const pieces = jsonWithArrayLines('{"k":[', elements, '],"m":1}');
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(`{"k":[\n${elements.join(',\n')}\n],"m":1}`);
  });
});
