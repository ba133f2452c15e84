import { fingerprintOf } from '../../src/core/fingerprint';
import type { IncomingVersion } from '../../src/core/incoming-version';
import { PeerError } from '../../src/peers/peer-client';
import { verifiedVersion } from '../../src/sync/wire';
import { anIncomingVersion } from '../factories/items';

const data = { title: 'x', n: 1, body: 'b'.repeat(100) };

function incoming(overrides: Partial<IncomingVersion> = {}): IncomingVersion {
  return anIncomingVersion(data, { ...overrides });
}

/**
 * A page read ahead is held while the one before it applies: each pulled
 * body must be held once, as the canonical text it was verified by, never
 * also as the objects JSON.parse built (which would double what a page holds).
 */
describe('verifiedVersion: a pulled version as it is held', () => {
  it('keeps a live body as its canonical text only, parsed again only when read', () => {
    const version = verifiedVersion(incoming(), 'a');
    expect(version.dataText).toBe(JSON.stringify({ body: data.body, n: 1, title: 'x' }));
    expect(Object.values(version)).not.toContain(data);
    expect(Object.getOwnPropertyDescriptor(version, 'data')).toBeUndefined();
    expect(version.data).toEqual(data);
    expect(version.data).not.toBe(data);
  });

  it('keeps the key and history of the version', () => {
    const version = verifiedVersion(incoming({ id: '0B6F3C1E-6C1A-4D3E-9A57-2F0E7B8F1C2D', replaces: 'c'.repeat(40) }), 'a');
    expect({ ...version, data: version.data }).toMatchObject({
      id: '0b6f3c1e-6c1a-4d3e-9a57-2f0e7b8f1c2d',
      deleted: false,
      updatedAtMs: Date.parse('2026-11-21T04:46:17.123Z'),
      origin: 'a',
      priority: 0,
      fingerprint: fingerprintOf(data, false),
      replaces: 'c'.repeat(40),
      data,
    });
  });

  it('keeps a tombstone as it is, and still refuses a body that is not what it claims', () => {
    const tombstone = verifiedVersion(incoming({ deleted: true, data: null, fingerprint: fingerprintOf(null, true) }), 'a');
    expect(tombstone).toMatchObject({ deleted: true, data: null });
    expect(() => verifiedVersion(incoming({ data: { ...data, n: 2 } }), 'a')).toThrow(PeerError);
  });
});
