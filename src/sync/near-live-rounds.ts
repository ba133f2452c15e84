export interface NearLiveOptions {
  peers: string[];
  debounceMs: number;
  /** Runs one round with the peer; resolves (never rejects) when the round has ended, however. */
  run: (peer: string) => Promise<unknown>;
  now?: () => number;
}

interface Slot {
  timer?: NodeJS.Timeout;
  running: boolean;
  /** A change arrived while the round ran: exactly one more round follows. */
  again: boolean;
  lastStartMs: number;
}

/**
 * Near-live sync, per peer: a change to this node's log starts a round with
 * every peer except the one the change came from, within `debounceMs`. A
 * peer idle for that long gets its round at once; otherwise the round waits
 * until `debounceMs` after the last one started, and every change meanwhile
 * joins it. A change while a round runs makes exactly one more round once
 * it ends. So an isolated write travels at the speed of a round, a burst
 * costs at most one round per `debounceMs` per peer, and an idle node nothing.
 */
export class NearLiveRounds {
  private readonly slots: Map<string, Slot>;
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly options: NearLiveOptions) {
    this.now = options.now ?? Date.now;
    this.slots = new Map(options.peers.map((peer) => [peer, { running: false, again: false, lastStartMs: -Infinity }]));
  }

  /** The log changed; `source` is the peer the change came from, null for this node's own writes. */
  changed(source: string | null): void {
    if (this.stopped || this.options.debounceMs === 0) return;
    for (const [peer, slot] of this.slots) {
      if (peer === source) continue;
      if (slot.running) slot.again = true;
      else this.arm(peer, slot);
    }
  }

  /** Whether a round with the peer is waiting for its turn or running. */
  pending(peer: string): boolean {
    const slot = this.slots.get(peer);
    return slot !== undefined && (slot.running || slot.timer !== undefined);
  }

  stop(): void {
    this.stopped = true;
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
  }

  private arm(peer: string, slot: Slot): void {
    if (slot.timer || this.stopped) return;
    const delay = Math.max(0, slot.lastStartMs + this.options.debounceMs - this.now());
    slot.timer = setTimeout(() => void this.fire(peer, slot), delay);
  }

  private async fire(peer: string, slot: Slot): Promise<void> {
    slot.timer = undefined;
    slot.running = true;
    slot.lastStartMs = this.now();
    try {
      await this.options.run(peer);
    } finally {
      slot.running = false;
      if (slot.again) {
        slot.again = false;
        this.arm(peer, slot);
      }
    }
  }
}
