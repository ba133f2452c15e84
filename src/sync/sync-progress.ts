/** What `GET /admin/peers` shows of a running sync: phase, entries settled of those to go, and the rate. */
export interface ProgressReport {
  phase: string;
  done: number;
  total: number;
  itemsPerSecond: number;
}

/** How far a running sync with one peer has come, for `GET /admin/peers`. */
export class SyncProgress {
  /** `waiting` while another process of this node holds the peer's lock. */
  phase: 'waiting' | 'starting' | 'pull' | 'push' = 'waiting';
  done = 0;
  total = 0;
  startedAt = new Date();
  private phaseStartedMs = Date.now();

  start(): void {
    this.phase = 'starting';
    this.startedAt = new Date();
    this.phaseStartedMs = Date.now();
  }

  begin(phase: 'pull' | 'push', total: number): void {
    this.phase = phase;
    this.done = 0;
    this.total = total;
    this.phaseStartedMs = Date.now();
  }

  advance(entries: number): void {
    this.done += entries;
    this.total = Math.max(this.total, this.done);
  }

  /** Entries settled per second since the phase began, to one decimal. */
  report(nowMs = Date.now()): ProgressReport {
    const seconds = (nowMs - this.phaseStartedMs) / 1000;
    const itemsPerSecond = seconds > 0 ? Math.round((10 * this.done) / seconds) / 10 : 0;
    return { phase: this.phase, done: this.done, total: this.total, itemsPerSecond };
  }

  toJSON() {
    return { phase: this.phase, done: this.done, total: this.total, startedAt: this.startedAt.toISOString() };
  }
}
