import { Hash, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A request body as it came over the wire, before any decoding. */
export interface RawBody {
  /** The bytes, or empty when there were more than the limit. */
  bytes: Buffer;
  /** Lowercase hex SHA-256 of every byte received, kept even past the limit (signatures cover it). */
  readonly sha256: string;
  overLimit: boolean;
}

/** Within the limit the hash is taken from the bytes kept, and only when asked for: most bodies are never signed. */
class ReadBody implements RawBody {
  constructor(
    readonly bytes: Buffer,
    readonly overLimit: boolean,
    private hash?: string,
  ) {}

  get sha256(): string {
    this.hash ??= createHash('sha256').update(this.bytes).digest('hex');
    return this.hash;
  }
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
  let chunks: Buffer[] = [];
  let size = 0;
  let pastLimit: Hash | undefined;
  if (hasBody(request)) {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit && !pastLimit) {
        pastLimit = createHash('sha256');
        for (const kept of chunks) pastLimit.update(kept);
        chunks = [];
      }
      if (pastLimit) pastLimit.update(chunk);
      else chunks.push(chunk);
    }
  }
  request.rawBody = pastLimit
    ? new ReadBody(Buffer.alloc(0), true, pastLimit.digest('hex'))
    : new ReadBody(Buffer.concat(chunks), false);
  return request.rawBody;
}
