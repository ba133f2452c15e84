import { Injectable, Logger } from '@nestjs/common';

type Listener = (source: string | null) => void;

/**
 * Tells whoever listens that this node's log changed, once the change is
 * committed: a local write (source null) or versions applied from a peer
 * (source: that peer). Near-live sync listens. In-process only: another
 * process of the node learns of the change from its scheduler.
 */
@Injectable()
export class LogEvents {
  private readonly logger = new Logger('LogEvents');
  private readonly listeners: Listener[] = [];
  /** The sources of the changes each open transaction made, told once it commits. */
  private readonly pending = new WeakMap<object, Set<string | null>>();

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Runs a transaction whose handle `run` passes through `watch`; its changes are told once `run` has resolved. */
  async afterCommit<T>(run: (watch: <Tx extends object>(tx: Tx) => Tx) => Promise<T>): Promise<T> {
    const sources = new Set<string | null>();
    const result = await run((tx) => {
      this.pending.set(tx, sources);
      return tx;
    });
    for (const source of sources) this.changed(source);
    return result;
  }

  /** A change made in the watched transaction `tx`. */
  noteChange(tx: object, source: string | null): void {
    this.pending.get(tx)?.add(source);
  }

  private changed(source: string | null): void {
    for (const listener of this.listeners) {
      try {
        listener(source);
      } catch (error) {
        this.logger.error(`a log change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
