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
  /** The sending node's id, as sent in `X-Sync-Node`. */
  sender: string;
  /** The `NODE_ID` of the node addressed: a request signed for one node is refused by every other. */
  receiver: string;
  /** The exact body bytes, or their lowercase hex SHA-256 when already hashed. */
  body: Buffer | string | { sha256: string };
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

function bodyHash(body: SignedRequest['body']): string {
  return typeof body === 'object' && !Buffer.isBuffer(body) ? body.sha256 : sha256Hex(body);
}

/** Lowercase hex HMAC-SHA256 over the six lines of API.md: method, path, timestamp, sender, receiver, body hash. */
export function signRequest(secret: string, request: SignedRequest): string {
  const canonical = [
    request.method.toUpperCase(),
    request.path,
    request.timestamp,
    request.sender,
    request.receiver,
    bodyHash(request.body),
  ].join('\n');
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

/** Compares in constant time, so the signature cannot be guessed byte by byte. */
export function signatureMatches(secret: string, request: SignedRequest, signature: string): boolean {
  const expected = Buffer.from(signRequest(secret, request), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The headers that sign one request from `request.sender` to `request.receiver`. */
export function signedHeaders(secret: string, request: Omit<SignedRequest, 'timestamp'>, nowMs: number) {
  const timestamp = String(nowMs);
  return {
    'X-Sync-Node': request.sender,
    'X-Sync-Timestamp': timestamp,
    'X-Sync-Signature': signRequest(secret, { ...request, timestamp }),
  };
}
