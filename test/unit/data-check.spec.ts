import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalCheckedData } from '../../src/core/data-check';
import { contentProblem } from '../../src/core/json-data';
import { MAX_DATA_BYTES } from '../../src/core/limits';
import { outcome } from '../support/outcome';

/** What a pushed body's data must come to: refused by contentProblem with its message, else its RFC 8785 text. */
function expected(data: unknown): string {
  const problem = contentProblem(data);
  return problem ? `INVALID_INPUT: x: ${problem}` : (canonicalize(data) as string);
}

const unit = fc.constantFrom('a', 'é', '😀', '"', '\\', '\n', '\u0000', '\u001f', '\ud800', '\udc00', '\uff61');
const text = fc.oneof(fc.string(), fc.string({ unit }));
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 5 }),
  ),
}));

describe('canonicalCheckedData', () => {
  it('gives the canonical text of what contentProblem accepts, and its message for anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(text, value.value), value.value), (data) => {
        expect(outcome(() => canonicalCheckedData(data, 'x: '))).toBe(expected(data));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses data over the size limit with a 413, measured in UTF-8 bytes', () => {
    const sized = (bytes: number) => ({ s: 'é'.repeat(10) + 'x'.repeat(bytes - '{"s":""}'.length - 20) });
    expect(outcome(() => canonicalCheckedData(sized(MAX_DATA_BYTES), 'x: '))).toBe(canonicalize(sized(MAX_DATA_BYTES)));
    expect(outcome(() => canonicalCheckedData(sized(MAX_DATA_BYTES + 1), 'x: '))).toMatch(
      /^PAYLOAD_TOO_LARGE: x: data is 1048577 bytes serialised/,
    );
  });
});
