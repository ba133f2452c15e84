/**
 * A counting semaphore: at most `size` sync rounds run at once in this
 * process. Each round holds a pooled connection while it applies, and the
 * pool also serves the API and the peers reading this node, so rounds may
 * take at most half of it; waiting rounds queue in arrival order.
 */
export class RoundSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Slots for a work pool of `poolSize` connections. */
  static forPool(poolSize: number): RoundSlots {
    return new RoundSlots(Math.max(1, Math.floor(poolSize / 2)));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiter, so a newcomer cannot overtake it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
