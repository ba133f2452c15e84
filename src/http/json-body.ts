import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { isAscii } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/domain-error';
import { jsonTextProblem } from './json-scan';

type Decoder = (input: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

const DECODERS: Record<string, Decoder> = {
  gzip: promisify(gunzip) as Decoder,
  'x-gzip': promisify(gunzip) as Decoder,
  deflate: promisify(inflate) as Decoder,
  br: promisify(brotliDecompress) as Decoder,
};

/** A body that is not JSON is a 415, whatever else is wrong with it. */
export function checkJsonContentType(request: IncomingMessage): void {
  const type = request.headers['content-type'];
  const [mediaType, ...parameters] = (type ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (mediaType === 'application/json' && (charset === undefined || charset === 'utf-8')) return;
  const given = type === undefined ? 'no Content-Type' : `Content-Type "${type.slice(0, 100)}"`;
  throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `this route takes an application/json (UTF-8) body; got ${given}`);
}

/** The body's bytes with its Content-Encoding undone; never more than `limit` bytes. */
async function decoded(request: IncomingMessage, bytes: Buffer, limit: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return bytes;
  const decode = DECODERS[encoding];
  if (!decode) {
    throw new DomainError(
      'INVALID_INPUT',
      `Content-Encoding "${encoding.slice(0, 40)}" cannot be decoded (gzip, deflate, br or identity)`,
    );
  }
  try {
    return await decode(bytes, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DomainError('PAYLOAD_TOO_LARGE', `request body decodes to more than the ${limit} byte limit`);
    }
    throw new DomainError('INVALID_INPUT', `request body does not decode as Content-Encoding ${encoding}`);
  }
}

/**
 * The text of a JSON body read by `readRawBody`: decoded, and valid UTF-8
 * (a leading byte order mark dropped). ASCII, which most bodies are, is
 * taken as it is without a decoder.
 */
export async function decodeJsonBody(request: IncomingMessage, bytes: Buffer, limit: number): Promise<string> {
  try {
    const body = await decoded(request, bytes, limit);
    return isAscii(body) ? body.toString('latin1') : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('INVALID_INPUT', 'request body is not valid UTF-8');
  }
}

/**
 * Parses JSON body text: no deeper than the limit and with no number that
 * would change, then JSON.parse (which keeps keys such as `__proto__` as
 * plain own keys).
 */
export function parseJsonText(text: string): unknown {
  const problem = jsonTextProblem(text);
  if (problem) throw new DomainError('INVALID_INPUT', problem);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DomainError('INVALID_INPUT', `request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}
