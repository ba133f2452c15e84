import fc from 'fast-check';
import { itemsJson, toItemView } from '../../src/items/item.view';

const foundArb = fc.record({
  version: fc.record({
    id: fc.uuid(),
    data: fc.constant(null),
    deleted: fc.boolean(),
    updatedAtMs: fc.integer({ min: 0, max: 253402300799999 }),
    origin: fc.stringMatching(/^[a-z0-9_-]{1,32}$/),
    priority: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fingerprint: fc.stringMatching(/^[0-9a-f]{40}$/),
    replaces: fc.option(fc.stringMatching(/^[0-9a-f]{40}$/), { nil: null }),
  }),
  dataText: fc.option(
    fc.dictionary(fc.string(), fc.jsonValue()).map((data) => JSON.stringify(data)),
    { nil: null },
  ),
});

/** Batch answers are written as text: they must parse to exactly the item views the single-item routes answer. */
describe('itemsJson', () => {
  it('parses to the item views of the same versions, data included', () => {
    fc.assert(
      fc.property(
        fc.array(foundArb, { maxLength: 5 }),
        fc.webUrl().chain((url) => fc.constantFrom(url, `${url}/"quoted"\\path`)),
        (found, publicUrl) => {
          expect(JSON.parse(itemsJson(found, publicUrl))).toEqual(
            found.map(({ version, dataText }) => ({
              ...toItemView(version, publicUrl),
              data: dataText === null ? null : JSON.parse(dataText),
            })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
