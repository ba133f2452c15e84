/** A place in a node's log: just after the entry at (transaction id, sequence); both PostgreSQL bigints as text. */
export interface LogPosition {
  xid: string;
  seq: string;
}

export const LOG_START: LogPosition = { xid: '0', seq: '0' };

/** The later of two positions. */
export function laterOf(a: LogPosition, b: LogPosition): LogPosition {
  const [ax, as, bx, bs] = [BigInt(a.xid), BigInt(a.seq), BigInt(b.xid), BigInt(b.seq)];
  return ax > bx || (ax === bx && as > bs) ? a : b;
}
