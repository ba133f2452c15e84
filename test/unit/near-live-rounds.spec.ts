import { NearLiveRounds } from '../../src/sync/near-live-rounds';

/** A round that stays open until the test ends it. */
interface Round {
  peer: string;
  startedAt: number;
  end(): void;
}

function setUp(peers: string[], debounceMs = 500) {
  const rounds: Round[] = [];
  const live = new NearLiveRounds({
    peers,
    debounceMs,
    run: (peer) => new Promise<void>((resolve) => rounds.push({ peer, startedAt: Date.now(), end: resolve })),
  });
  return { live, rounds };
}

/** Lets due timers and the promise callbacks of an ended round run. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('NearLiveRounds', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('starts a round with every other peer at once after a quiet spell', async () => {
    const { live, rounds } = setUp(['b', 'c']);
    live.changed(null);
    await settle();
    expect(rounds.map((r) => [r.peer, r.startedAt])).toEqual([
      ['b', 1_000_000],
      ['c', 1_000_000],
    ]);
  });

  it('never starts a round with the peer the change came from', async () => {
    const { live, rounds } = setUp(['a', 'c']);
    live.changed('a');
    await jest.advanceTimersByTimeAsync(1000);
    expect(rounds.map((r) => r.peer)).toEqual(['c']);
  });

  it('coalesces changes after a round into one round, debounceMs after the last one started', async () => {
    const { live, rounds } = setUp(['b']);
    live.changed(null);
    await settle();
    rounds[0].end();
    await jest.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 10; i++) live.changed(null);
    await jest.advanceTimersByTimeAsync(399);
    expect(rounds).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds.map((r) => r.startedAt - rounds[0].startedAt)).toEqual([0, 500]);
    rounds[1].end();
    await jest.advanceTimersByTimeAsync(5000);
    expect(rounds).toHaveLength(2);
  });

  it('runs exactly one more round after changes that arrive during a round, never two at once', async () => {
    const { live, rounds } = setUp(['b']);
    live.changed(null);
    await settle();
    for (let i = 0; i < 5; i++) live.changed(null);
    await jest.advanceTimersByTimeAsync(5000);
    expect(rounds).toHaveLength(1);
    rounds[0].end();
    await settle();
    expect(rounds).toHaveLength(2);
    rounds[1].end();
    await jest.advanceTimersByTimeAsync(5000);
    expect(rounds).toHaveLength(2);
    expect(live.pending('b')).toBe(false);
  });

  it('runs no extra round when nothing changed during the round', async () => {
    const { live, rounds } = setUp(['b']);
    live.changed(null);
    await settle();
    rounds[0].end();
    await jest.advanceTimersByTimeAsync(5000);
    expect(rounds).toHaveLength(1);
    expect(live.pending('b')).toBe(false);
  });

  it('does nothing with a debounce of 0 (near-live off) or once stopped', async () => {
    const off = setUp(['b'], 0);
    off.live.changed(null);
    await jest.advanceTimersByTimeAsync(1000);
    expect(off.rounds).toHaveLength(0);

    const stopped = setUp(['b']);
    stopped.live.changed(null);
    stopped.live.stop();
    stopped.live.changed(null);
    await jest.advanceTimersByTimeAsync(1000);
    expect(stopped.rounds).toHaveLength(0);
  });
});
