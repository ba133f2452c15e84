import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed node-to-node request. */
export const SYNC_NODE_HEADER = 'x-sync-node';
export const SYNC_TIMESTAMP_HEADER = 'x-sync-timestamp';
export const SYNC_SIGNATURE_HEADER = 'x-sync-signature';

export interface SignedRequest {
  method: string;
  /** Path with query string, exactly as sent. */
  path: string;
  timestamp: string;
  body: Buffer | string;
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Lowercase hex HMAC-SHA256 over METHOD, path, timestamp and body hash, one per line. */
export function signRequest(secret: string, request: SignedRequest): string {
  const canonical = [request.method.toUpperCase(), request.path, request.timestamp, sha256Hex(request.body)].join('\n');
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

/** Compares in constant time, so the signature cannot be guessed byte by byte. */
export function signatureMatches(secret: string, request: SignedRequest, signature: string): boolean {
  const expected = Buffer.from(signRequest(secret, request), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The headers that sign one request from `nodeId`. */
export function signedHeaders(secret: string, nodeId: string, request: Omit<SignedRequest, 'timestamp'>, nowMs: number) {
  const timestamp = String(nowMs);
  return {
    'X-Sync-Node': nodeId,
    'X-Sync-Timestamp': timestamp,
    'X-Sync-Signature': signRequest(secret, { ...request, timestamp }),
  };
}
