import fc from 'fast-check';
import type { Version } from '../../src/core/version';

/** A stored version as the database gives it back when its data is read as text: `data` null, any storable key. */
export const storedVersionArb: fc.Arbitrary<Version> = fc.record({
  id: fc.uuid(),
  data: fc.constant(null),
  deleted: fc.boolean(),
  updatedAtMs: fc.integer({ min: 0, max: 253402300799999 }),
  origin: fc.stringMatching(/^[a-z0-9_-]{1,32}$/),
  priority: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fingerprint: fc.stringMatching(/^[0-9a-f]{40}$/),
  replaces: fc.option(fc.stringMatching(/^[0-9a-f]{40}$/), { nil: null }),
});

/** A `data` column read as JSON text, or null for a tombstone. */
export const dataTextArb: fc.Arbitrary<string | null> = fc.option(
  fc.dictionary(fc.string(), fc.jsonValue()).map((data) => JSON.stringify(data)),
  { nil: null },
);

/** A public URL as configured, and one whose text JSON must escape. */
export const publicUrlArb: fc.Arbitrary<string> = fc.webUrl().chain((url) => fc.constantFrom(url, `${url}/"quoted"\\path`));

/** What the members every log entry and pushed entry carry must parse to, for `v` (API.md). */
export function expectedEntryFields(v: Version) {
  return {
    itemId: v.id,
    updatedAt: new Date(v.updatedAtMs).toISOString(),
    fingerprint: v.fingerprint,
    deleted: v.deleted,
    origin: v.origin,
    priority: v.priority,
  };
}
