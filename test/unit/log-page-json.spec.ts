import fc from 'fast-check';
import { logPageJson } from '../../src/transactions/log-entry.view';
import type { LogRow } from '../../src/transactions/log.repository';
import { dataTextArb, expectedEntryFields, publicUrlArb, storedVersionArb } from '../factories/stored-rows';

const rowArb: fc.Arbitrary<LogRow> = fc.record({
  version: storedVersionArb,
  position: fc.record({ xid: fc.constant('1'), seq: fc.constant('1') }),
  recordedAt: fc.date({ min: new Date(0), max: new Date(253402300799999), noInvalidDate: true }),
  source: fc.constant(null),
  dataText: dataTextArb,
});

/**
 * A log page is written as text, not serialised from objects: it must parse
 * to exactly the entries API.md describes, whatever the values and the
 * configured public URL.
 */
describe('logPageJson', () => {
  it('parses to the page and entries of API.md', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 5 }),
        publicUrlArb,
        fc.boolean(),
        fc.boolean(),
        (rows, publicUrl, replaces, data) => {
          const page = { node: 'n-1', cursor: 'c', hasMore: rows.length > 2, remaining: 7 };
          const parsed = JSON.parse(logPageJson(page, rows, publicUrl, { replaces, data }).join(''));
          expect(parsed).toEqual({
            ...page,
            entries: rows.map(({ version: v, recordedAt, dataText }) => ({
              ...expectedEntryFields(v),
              recordedAt: recordedAt.toISOString(),
              itemURI: `${publicUrl}/items/${v.id}`,
              ...(replaces ? { replaces: v.replaces } : {}),
              ...(data ? { data: dataText === null ? null : JSON.parse(dataText) } : {}),
            })),
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
