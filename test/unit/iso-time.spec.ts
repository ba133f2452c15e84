import fc from 'fast-check';
import { ISO_UTC_PATTERN, parseIsoUtc } from '../../src/common/validation';

/** The plain reading: Date.parse, refused when the instant it gives is not the one written (it rolls dates over). */
function reference(text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !ISO_UTC_PATTERN.test(text)) return NaN;
  return new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19) ? ms : NaN;
}

const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));

/** Times in the API's shape, valid or not: month 13, February 30, hour 24, second 60 and the like turn up often. */
const isoLike = fc
  .tuple(
    fc.oneof(digits(4, 9999), fc.constantFrom('0000', '0001', '0099', '0100', '1600', '1900', '2000', '2024', '2100', '9999')),
    digits(2, 13),
    digits(2, 32),
    digits(2, 25),
    digits(2, 61),
    digits(2, 61),
    fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,3}$/)),
  )
  .map(([y, mo, d, h, mi, s, f]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}Z`);

describe('parseIsoUtc', () => {
  it('reads every time in the API shape as Date.parse does, and refuses what Date.parse would roll over', () => {
    fc.assert(
      fc.property(isoLike, (text) => {
        expect(parseIsoUtc(text)).toBe(reference(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives back the instant of any toISOString between years 0 and 9999', () => {
    const dates = fc.date({
      min: new Date('0000-01-01T00:00:00.000Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    });
    fc.assert(fc.property(dates, (date) => expect(parseIsoUtc(date.toISOString())).toBe(date.getTime())));
  });

  it('refuses text outside the shape', () => {
    for (const text of [
      '2026-01-01T00:00:00',
      '2026-01-01 00:00:00Z',
      '2026-01-01T00:00:00.1234Z',
      '+002026-01-01T00:00:00Z',
      '',
    ])
      expect(parseIsoUtc(text)).toBeNaN();
  });
});
