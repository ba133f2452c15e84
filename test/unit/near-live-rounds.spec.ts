import { NearLiveRounds } from '../../src/sync/near-live-rounds';

/** A round that stays open until the test ends it. */
interface Round {
  peer: string;
  end(): void;
}

function setUp(peers: string[], debounceMs = 500) {
  const rounds: Round[] = [];
  const live = new NearLiveRounds({
    peers,
    debounceMs,
    run: (peer) => new Promise<void>((resolve) => rounds.push({ peer, end: resolve })),
  });
  return { live, rounds };
}

/** Lets the promise callbacks of an ended round run. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('NearLiveRounds', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts one round per other peer after the debounce, coalescing a burst of changes', async () => {
    const { live, rounds } = setUp(['b', 'c']);
    for (let i = 0; i < 10; i++) live.changed(null);
    await jest.advanceTimersByTimeAsync(499);
    expect(rounds).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds.map((r) => r.peer).sort()).toEqual(['b', 'c']);
  });

  it('never schedules a round with the peer the change came from', async () => {
    const { live, rounds } = setUp(['a', 'c']);
    live.changed('a');
    await jest.advanceTimersByTimeAsync(1000);
    expect(rounds.map((r) => r.peer)).toEqual(['c']);
  });

  it('runs exactly one more round after changes that arrive during a round', async () => {
    const { live, rounds } = setUp(['b']);
    live.changed(null);
    await jest.advanceTimersByTimeAsync(500);
    expect(rounds).toHaveLength(1);
    for (let i = 0; i < 5; i++) live.changed(null);
    await jest.advanceTimersByTimeAsync(5000);
    expect(rounds).toHaveLength(1); // one round per peer at a time
    rounds[0].end();
    await settle();
    await jest.advanceTimersByTimeAsync(500);
    expect(rounds).toHaveLength(2);
    rounds[1].end();
    await settle();
    await jest.advanceTimersByTimeAsync(5000);
    expect(rounds).toHaveLength(2);
    expect(live.pending('b')).toBe(false);
  });

  it('runs no extra round when nothing changed during the round', async () => {
    const { live, rounds } = setUp(['b']);
    live.changed(null);
    await jest.advanceTimersByTimeAsync(500);
    rounds[0].end();
    await settle();
    await jest.advanceTimersByTimeAsync(5000);
    expect(rounds).toHaveLength(1);
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
