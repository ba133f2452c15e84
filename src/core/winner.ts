/**
 * The winner rule of API.md, as pure functions of plain values: no clock, no
 * database. Two versions are ordered by the key
 * (bucket, priority, updatedAt, origin, fingerprint), compared left to right.
 */
import type { VersionKey } from './version';

/** `floor(updatedAt / window)`, or updatedAt itself when the window is 0. */
export function bucketOf(updatedAtMs: number, windowMs: number): number {
  return windowMs > 0 ? Math.floor(updatedAtMs / windowMs) : updatedAtMs;
}

/** Byte order; node ids and fingerprints are ASCII, where it equals code-unit order. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` loses to `b`, positive when it wins, 0 for the same key. */
export function compareVersions(a: VersionKey, b: VersionKey, windowMs: number): number {
  return (
    Math.sign(bucketOf(a.updatedAtMs, windowMs) - bucketOf(b.updatedAtMs, windowMs)) ||
    Math.sign(a.priority - b.priority) ||
    Math.sign(a.updatedAtMs - b.updatedAtMs) ||
    compareText(a.origin, b.origin) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

export function wins(a: VersionKey, b: VersionKey, windowMs: number): boolean {
  return compareVersions(a, b, windowMs) > 0;
}

/**
 * The `updatedAt` of a local write that replaces `current`: the smallest
 * millisecond ≥ `nowMs` whose key beats the current version's (a hybrid
 * logical clock kept per item). A new item is stamped with `nowMs` itself.
 *
 * The winning times form intervals whose left ends are among `nowMs`, the
 * current time, the millisecond after it, and the edges of the current bucket,
 * so the smallest winning candidate is the answer.
 */
export function stampWrite(
  write: Omit<VersionKey, 'updatedAtMs'>,
  current: VersionKey | undefined,
  nowMs: number,
  windowMs: number,
): number {
  if (!current) return nowMs;
  const at = (updatedAtMs: number): VersionKey => ({ ...write, updatedAtMs });
  const candidates = [nowMs, current.updatedAtMs, current.updatedAtMs + 1];
  if (windowMs > 0) {
    const bucket = bucketOf(current.updatedAtMs, windowMs);
    candidates.push(bucket * windowMs, (bucket + 1) * windowMs);
  }
  const winning = candidates.filter((t) => t >= nowMs && wins(at(t), current, windowMs));
  return Math.min(...winning);
}
