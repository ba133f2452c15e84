/** How far a running sync with one peer has come, for `GET /admin/peers`. */
export class SyncProgress {
  /** `waiting` while another process of this node holds the peer's lock. */
  phase: 'waiting' | 'starting' | 'pull' | 'push' = 'waiting';
  done = 0;
  total = 0;
  startedAt = new Date();

  start(): void {
    this.phase = 'starting';
    this.startedAt = new Date();
  }

  begin(phase: 'pull' | 'push', total: number): void {
    this.phase = phase;
    this.done = 0;
    this.total = total;
  }

  advance(entries: number): void {
    this.done += entries;
    this.total = Math.max(this.total, this.done);
  }

  toJSON() {
    return { phase: this.phase, done: this.done, total: this.total, startedAt: this.startedAt.toISOString() };
  }
}
