import { Lookahead } from '../../src/sync/lookahead';

/** A fetch that settles when told to, or rejects when its signal aborts. */
function controlledFetch() {
  const calls: { signal: AbortSignal; resolve: (value: string) => void; settled: boolean }[] = [];
  const fetch = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      const call = { signal, resolve, settled: false };
      calls.push(call);
      signal.addEventListener('abort', () =>
        setTimeout(() => {
          call.settled = true;
          reject(new Error('aborted'));
        }, 5),
      );
      call.resolve = (value) => {
        call.settled = true;
        resolve(value);
      };
    });
  return { fetch, calls };
}

describe('Lookahead', () => {
  it('hands over the page fetched ahead', async () => {
    const ahead = new Lookahead<string>();
    const { fetch, calls } = controlledFetch();
    ahead.start(fetch);
    expect(ahead.running).toBe(true);
    calls[0].resolve('page 2');
    await expect(ahead.take()).resolves.toBe('page 2');
    expect(ahead.running).toBe(false);
  });

  it('passes the fetch error on to the taker', async () => {
    const ahead = new Lookahead<string>();
    ahead.start(() => Promise.reject(new Error('peer gone')));
    await expect(ahead.take()).rejects.toThrow('peer gone');
  });

  it('never fetches two pages ahead', () => {
    const ahead = new Lookahead<string>();
    const { fetch } = controlledFetch();
    ahead.start(fetch);
    expect(() => ahead.start(fetch)).toThrow(/already/);
  });

  it('aborts the fetch on cancel and waits until it has settled', async () => {
    const ahead = new Lookahead<string>();
    const { fetch, calls } = controlledFetch();
    ahead.start(fetch);
    await ahead.cancel();
    expect(calls[0].signal.aborted).toBe(true);
    expect(calls[0].settled).toBe(true);
    expect(ahead.running).toBe(false);
    await ahead.cancel();
  });
});
