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

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  changed(source: string | null): void {
    for (const listener of this.listeners) {
      try {
        listener(source);
      } catch (error) {
        this.logger.error(`a log change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
