import { decideOnApply } from '../../src/sync/merge-plan';
import { aSide } from '../factories/side-versions';

const T = Date.UTC(2026, 0, 1);
const remote = (overrides = {}) =>
  aSide({ origin: 'b', fingerprint: 'b'.repeat(40), updatedAtMs: T + 10, changedSinceSync: true, ...overrides });
const local = (overrides = {}) =>
  aSide({ origin: 'a', fingerprint: 'a'.repeat(40), updatedAtMs: T, changedSinceSync: false, ...overrides });

/** The apply's second look, under the row lock: what the plan decided may no longer hold. */
describe('decideOnApply', () => {
  it('stores a version this node lacks, with nothing to record', () => {
    expect(decideOnApply(remote(), undefined, 0)).toEqual({ remoteWins: true, conflict: false });
  });

  it('leaves the same version alone', () => {
    expect(decideOnApply(remote(), remote(), 0)).toEqual({ remoteWins: false, conflict: false });
  });

  it('replaces a version unchanged since the last sync without a record', () => {
    expect(decideOnApply(remote(), local(), 0)).toEqual({ remoteWins: true, conflict: false });
  });

  it('records the local loser when this node changed the item too', () => {
    expect(decideOnApply(remote(), local({ changedSinceSync: true }), 0)).toEqual({ remoteWins: true, conflict: true });
  });

  it('records the pulled version as the loser when a local write landed since the plan and wins', () => {
    const landed = local({ changedSinceSync: true, updatedAtMs: T + 20, fingerprint: 'c'.repeat(40) });
    expect(decideOnApply(remote(), landed, 0)).toEqual({ remoteWins: false, conflict: true });
  });

  it('records nothing for a causal edit, either way', () => {
    const mine = local({ changedSinceSync: true });
    expect(decideOnApply(remote({ replaces: mine.fingerprint }), mine, 0)).toEqual({ remoteWins: true, conflict: false });
    const later = local({ changedSinceSync: true, updatedAtMs: T + 20, replaces: 'b'.repeat(40) });
    expect(decideOnApply(remote(), later, 0)).toEqual({ remoteWins: false, conflict: false });
  });
});
