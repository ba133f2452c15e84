import fc from 'fast-check';
import { parsePushBody } from '../../src/transactions/push-body';
import { pushEntriesJson } from '../../src/sync/wire';
import { dataTextArb, expectedEntryFields, storedVersionArb } from '../factories/stored-rows';

const foundArb = fc.record({ version: storedVersionArb, dataText: dataTextArb });

/**
 * A push's entries are written as text from the stored rows: they must parse
 * to exactly the entries API.md describes, and pass the push route's own check.
 */
describe('pushEntriesJson', () => {
  it('parses to the pushed entries of the same versions, data included', () => {
    fc.assert(
      fc.property(fc.array(foundArb, { maxLength: 5 }), (found) => {
        const entries = JSON.parse(pushEntriesJson(found));
        expect(entries).toEqual(
          found.map(({ version: v, dataText }) => ({
            ...expectedEntryFields(v),
            data: dataText === null ? null : JSON.parse(dataText),
            replaces: v.replaces,
          })),
        );
        const distinct = new Set(found.map(({ version }) => version.id)).size === found.length;
        if (found.length > 0 && distinct) expect(() => parsePushBody({ node: 'n-1', entries })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
