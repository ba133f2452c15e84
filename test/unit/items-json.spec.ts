import fc from 'fast-check';
import { itemTexts, toItemView } from '../../src/items/item.view';
import { dataTextArb, publicUrlArb, storedVersionArb } from '../factories/stored-rows';

const foundArb = fc.record({ version: storedVersionArb, dataText: dataTextArb });

/** Batch answers are written as text: they must parse to exactly the item views the single-item routes answer. */
describe('itemTexts', () => {
  it('parses to the item views of the same versions, data included', () => {
    fc.assert(
      fc.property(fc.array(foundArb, { maxLength: 5 }), publicUrlArb, (found, publicUrl) => {
        expect(itemTexts(found, publicUrl).map((text) => JSON.parse(text))).toEqual(
          found.map(({ version, dataText }) => ({
            ...toItemView(version, publicUrl),
            data: dataText === null ? null : JSON.parse(dataText),
          })),
        );
      }),
      { numRuns: 300 },
    );
  });
});
