import { fingerprintOf } from '../../src/core/fingerprint';
import { ResolvedSide, resolutionWrite } from '../../src/admin/resolution';

function side(origin: string, data: Record<string, unknown> | null): ResolvedSide {
  return { origin, data, deleted: data === null, fingerprint: fingerprintOf(data, data === null) };
}

describe('resolutionWrite', () => {
  const onA = side('a', { edited: 'on a' });
  const onB = side('b', { edited: 'on b' });
  const onC = side('c', { edited: 'on c' });

  it('writes the picked content, or the given data, always as a new version', () => {
    expect(resolutionWrite({ winner: onB, loser: onA }, { pick: 'loser' }, 'a')).toMatchObject({
      data: onA.data,
      deleted: false,
    });
    expect(resolutionWrite({ winner: onB, loser: onA }, { pick: 'winner' }, 'a')).toMatchObject({ data: onB.data, resolves: {} });
    expect(resolutionWrite({ winner: onB, loser: onA }, { data: { merged: 1 } }, 'a')).toMatchObject({ data: { merged: 1 } });
  });

  it('picks a tombstone as a delete', () => {
    const gone = side('b', null);
    expect(resolutionWrite({ winner: gone, loser: onA }, { pick: 'winner' }, 'a')).toMatchObject({ data: null, deleted: true });
  });

  it('names the side this node did not write: the other is causal by origin', () => {
    expect(resolutionWrite({ winner: onB, loser: onA }, { data: { merged: 1 } }, 'a').resolves).toEqual({
      replaces: onB.fingerprint,
    });
    expect(resolutionWrite({ winner: onA, loser: onB }, { data: { merged: 1 } }, 'a').resolves).toEqual({
      replaces: onB.fingerprint,
    });
  });

  it('on a node that wrote neither side, names the side whose content it does not carry', () => {
    expect(resolutionWrite({ winner: onB, loser: onC }, { pick: 'winner' }, 'a').resolves).toEqual({ replaces: onC.fingerprint });
    expect(resolutionWrite({ winner: onB, loser: onC }, { pick: 'loser' }, 'a').resolves).toEqual({ replaces: onB.fingerprint });
    // New data on such a node can name one side only: the winner, which both nodes of the round hold.
    expect(resolutionWrite({ winner: onB, loser: onC }, { data: { merged: 1 } }, 'a').resolves).toEqual({
      replaces: onB.fingerprint,
    });
  });
});
