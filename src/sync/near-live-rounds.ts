export interface NearLiveOptions {
  peers: string[];
  debounceMs: number;
  /** Runs one round with the peer; resolves (never rejects) when the round has ended, however. */
  run: (peer: string) => Promise<unknown>;
}

interface Slot {
  timer?: NodeJS.Timeout;
  running: boolean;
  /** A change arrived while the round ran: exactly one more round follows. */
  again: boolean;
}

/**
 * Near-live sync, per peer: a change to this node's log schedules a round
 * with every peer except the one the change came from, `debounceMs` later.
 * Changes before that round starts join it; changes while it runs make
 * exactly one more round once it ends. So a burst of writes costs at most
 * two rounds per peer, and an idle node costs nothing.
 */
export class NearLiveRounds {
  private readonly slots: Map<string, Slot>;
  private stopped = false;

  constructor(private readonly options: NearLiveOptions) {
    this.slots = new Map(options.peers.map((peer) => [peer, { running: false, again: false }]));
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

  /** Whether a round with the peer is waiting for its debounce or running. */
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
    slot.timer = setTimeout(() => void this.fire(peer, slot), this.options.debounceMs);
  }

  private async fire(peer: string, slot: Slot): Promise<void> {
    slot.timer = undefined;
    slot.running = true;
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
