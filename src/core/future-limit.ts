import type { Version } from './version';

/**
 * Why a version from another node is stamped too far ahead of this node's
 * clock (more than MAX_FUTURE_MS), or undefined when it is not. Taking it
 * would let one bad clock freeze the item everywhere: every later edit would
 * have to be stamped after it.
 */
export function futureProblem(version: Pick<Version, 'updatedAtMs'>, nowMs: number, maxFutureMs: number): string | undefined {
  const aheadMs = version.updatedAtMs - nowMs;
  if (aheadMs <= maxFutureMs) return undefined;
  const at = new Date(version.updatedAtMs).toISOString();
  return `updatedAt ${at} is ${aheadMs} ms ahead of this node's clock (MAX_FUTURE_MS ${maxFutureMs})`;
}
