import fc from 'fast-check';
import { checkedData } from '../../src/core/data-check';
import { fingerprintOf } from '../../src/core/fingerprint';
import { MAX_DATA_BYTES } from '../../src/core/limits';
import { checkedContent } from '../../src/items/bulk-content';
import { outcome } from '../support/outcome';

const single = (data: unknown) => outcome(() => fingerprintOf(checkedData(data, 'x: '), false));
const bulk = (data: unknown) => outcome(() => checkedContent(data, 'x: ').fingerprint);

describe('checkedContent: the bulk route checks and fingerprints data as single writes do, from one serialisation', () => {
  it('gives the fingerprint of fingerprintOf for any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (data) => {
        expect(bulk(data)).toBe(single(data));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what checkedData refuses, with the same code and message', () => {
    for (const data of [[], null, 'text', { s: 'a\u0000' }, { n: Infinity }, { s: '\ud800' }])
      expect(bulk(data)).toBe(single(data));
  });

  it('measures the size as JSON.stringify does, at the limit and one byte past it', () => {
    const filler = (bytes: number) => ({
      s: 'é'.repeat(100),
      t: 'x'.repeat(bytes - JSON.stringify({ s: 'é'.repeat(100), t: '' }).length - 100),
    });
    const atLimit = filler(MAX_DATA_BYTES);
    expect(Buffer.byteLength(JSON.stringify(atLimit))).toBe(MAX_DATA_BYTES);
    expect(bulk(atLimit)).toBe(single(atLimit));
    const over = filler(MAX_DATA_BYTES + 1);
    expect(bulk(over)).toMatch(/^PAYLOAD_TOO_LARGE: x: data is 1048577 bytes/);
    expect(bulk(over)).toBe(single(over));
  });
});
