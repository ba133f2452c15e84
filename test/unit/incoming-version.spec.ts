import { fingerprintOf } from '../../src/core/fingerprint';
import { DomainError } from '../../src/common/domain-error';
import { IncomingVersion, checkedVersion } from '../../src/core/incoming-version';
import { anIncomingVersion } from '../factories/items';

const data = { title: 'x', n: 1 };

function incoming(overrides: Partial<IncomingVersion> = {}): IncomingVersion {
  return anIncomingVersion(data, { id: '0B6F3C1E-6C1A-4D3E-9A57-2F0E7B8F1C2D', ...overrides });
}

function problemOf(version: IncomingVersion): string {
  try {
    checkedVersion(version, 'entries[0]');
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).message;
  }
  throw new Error('accepted');
}

describe('checkedVersion: the one check for versions from other nodes', () => {
  it('turns a well-formed version into a stored one, id lowercased', () => {
    expect(checkedVersion(incoming({ replaces: 'a'.repeat(40) }), 'here')).toEqual({
      id: '0b6f3c1e-6c1a-4d3e-9a57-2f0e7b8f1c2d',
      data,
      deleted: false,
      updatedAtMs: Date.parse('2026-11-21T04:46:17.123Z'),
      origin: 'a',
      priority: 0,
      fingerprint: fingerprintOf(data, false),
      replaces: 'a'.repeat(40),
      // The canonical JSON the fingerprint was taken over, written as it is.
      dataText: '{"n":1,"title":"x"}',
    });
  });

  it('accepts a tombstone with data null or absent', () => {
    const tombstone = { deleted: true, fingerprint: fingerprintOf(null, true) };
    expect(checkedVersion(incoming({ ...tombstone, data: null }), 'here').data).toBeNull();
    expect(checkedVersion(incoming({ ...tombstone, data: undefined }), 'here').data).toBeNull();
  });

  it.each<[string, Partial<IncomingVersion>, RegExp]>([
    ['a bad id', { id: 'nope' }, /id is not a UUID/],
    ['an origin that is no node id', { origin: 'Node A' }, /origin "Node A" is not a node id/],
    ['a fractional priority', { priority: 1.5 }, /priority/],
    ['a priority past 32 bits', { priority: 2 ** 31 }, /priority/],
    ['a malformed replaces', { replaces: 'xyz' }, /replaces/],
    ['an impossible date', { updatedAt: '2026-02-31T00:00:00.000Z' }, /updatedAt/],
    ['a time before 1970', { updatedAt: '1969-12-31T23:59:59.999Z' }, /updatedAt/],
    ['a tombstone with data', { deleted: true, fingerprint: fingerprintOf(null, true) }, /tombstone/],
    ['data PostgreSQL cannot hold', { data: { a: 'nul\u0000' } }, /\\u0000/],
    ['a fingerprint that does not match', { fingerprint: 'f'.repeat(40) }, /does not match/],
  ])('refuses %s, naming where', (_, overrides, message) => {
    const problem = problemOf(incoming(overrides));
    expect(problem).toMatch(/^entries\[0\]: /);
    expect(problem).toMatch(message);
  });

  it('accepts the priority bounds of the schema', () => {
    expect(checkedVersion(incoming({ priority: -(2 ** 31) }), 'here').priority).toBe(-(2 ** 31));
    expect(checkedVersion(incoming({ priority: 2 ** 31 - 1 }), 'here').priority).toBe(2 ** 31 - 1);
  });
});
