import { LRUCache } from 'lru-cache';
import { MAX_CLOCK_SKEW_MS } from '../core/limits';

/**
 * Signatures seen within the acceptance window. A signature older than the
 * window is refused by its timestamp anyway, so entries expire with it; the
 * size bound keeps memory fixed under any load.
 */
export class ReplayCache {
  private readonly seen: LRUCache<string, true>;

  constructor(maxEntries = 100_000) {
    this.seen = new LRUCache({ max: maxEntries, ttl: 2 * MAX_CLOCK_SKEW_MS, ttlAutopurge: false });
  }

  /** True the first time a signature is offered, false on every replay. */
  firstUse(signature: string): boolean {
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, true);
    return true;
  }
}
