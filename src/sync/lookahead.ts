/**
 * One page of lookahead for a sync round: the next page is fetched (and
 * verified) while the current one applies. The fetch gets an abort signal;
 * `cancel` aborts it and waits until it has settled, so a failed or restarted
 * round never leaves a request running behind it.
 */
export class Lookahead<T> {
  private controller?: AbortController;
  private pending?: Promise<T>;

  /** Starts fetching the next page; at most one fetch is ever ahead. */
  start(fetch: (signal: AbortSignal) => Promise<T>): void {
    if (this.pending) throw new Error('a page is already being fetched ahead');
    const controller = new AbortController();
    this.controller = controller;
    this.pending = fetch(controller.signal);
    // Settled later by take() or cancel(); never an unhandled rejection meanwhile.
    this.pending.catch(() => undefined);
  }

  get running(): boolean {
    return this.pending !== undefined;
  }

  /** The page fetched ahead, or its error. */
  async take(): Promise<T> {
    const pending = this.pending;
    if (!pending) throw new Error('no page is being fetched ahead');
    this.pending = undefined;
    this.controller = undefined;
    return pending;
  }

  /** Aborts the fetch ahead, if any, and waits for it to settle. */
  async cancel(): Promise<void> {
    const pending = this.pending;
    this.controller?.abort();
    this.pending = undefined;
    this.controller = undefined;
    await pending?.catch(() => undefined);
  }
}
