import { signedHeaders } from '../../src/auth/signature';

let lastSignedAt = 0;

/**
 * Now in milliseconds, never the same millisecond twice in this process: two
 * equal requests signed in one millisecond would carry one signature, and the
 * node refuses the second as a replay.
 */
export function signingNow(): number {
  lastSignedAt = Math.max(Date.now(), lastSignedAt + 1);
  return lastSignedAt;
}

/** The X-Sync-* headers of one request from node `from` to node `to`, signed with `secret` at `nowMs` (a fresh millisecond by default). */
export function signAs(
  secret: string,
  from: string,
  to: string,
  request: { method: string; path: string; body?: string },
  nowMs = signingNow(),
) {
  const { method, path, body = '' } = request;
  return signedHeaders(secret, { method, path, body, sender: from, receiver: to }, nowMs);
}
