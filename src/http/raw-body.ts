import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A request body as it came over the wire, before any decoding. */
export interface RawBody {
  /** The bytes, or empty when there were more than the limit. */
  bytes: Buffer;
  /** Lowercase hex SHA-256 of every byte received, kept even past the limit (signatures cover it). */
  sha256: string;
  overLimit: boolean;
}

export type RequestWithRawBody = IncomingMessage & { rawBody?: RawBody };

/** True when the request announces a body: a non-zero length, or a chunked one. */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/** The announced Content-Length, when there is a valid one. */
export function declaredLength(request: IncomingMessage): number | undefined {
  const length = request.headers['content-length'];
  return length !== undefined && /^\d{1,15}$/.test(length) ? Number(length) : undefined;
}

/**
 * Reads the whole body once, keeping at most `limit` bytes in memory. Past the
 * limit the bytes are only hashed, so a signed request can still be told
 * apart from a forged one (401) before it is refused as too large (413).
 */
export async function readRawBody(request: RequestWithRawBody, limit: number): Promise<RawBody> {
  if (request.rawBody) return request.rawBody;
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  if (hasBody(request)) {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    }
  }
  const overLimit = size > limit;
  request.rawBody = { bytes: overLimit ? Buffer.alloc(0) : Buffer.concat(chunks), sha256: hash.digest('hex'), overLimit };
  return request.rawBody;
}
