import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { readRawBody } from '../../src/http/raw-body';

/** A request carrying `chunks` as its body, announced by Content-Length. */
function requestOf(chunks: Buffer[]): IncomingMessage {
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return Object.assign(Readable.from(chunks), { headers: { 'content-length': String(length) } }) as unknown as IncomingMessage;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('readRawBody', () => {
  const chunks = [Buffer.from('{"items":'), Buffer.from('[1,2,'), Buffer.from('3]}')];
  const all = Buffer.concat(chunks);

  it('keeps the bytes within the limit and hashes every byte', async () => {
    const body = await readRawBody(requestOf(chunks), all.length);
    expect(body).toMatchObject({ bytes: all, overLimit: false });
    expect(body.sha256).toBe(sha256(all));
  });

  it('past the limit keeps no bytes but still hashes every byte received, whichever chunk crosses it', async () => {
    for (const limit of [0, 5, chunks[0].length, all.length - 1]) {
      const body = await readRawBody(requestOf(chunks), limit);
      expect(body).toMatchObject({ bytes: Buffer.alloc(0), overLimit: true });
      expect(body.sha256).toBe(sha256(all));
    }
  });

  it('reads a body once: a second read answers the same', async () => {
    const request = requestOf(chunks);
    const first = await readRawBody(request, 100);
    expect(await readRawBody(request, 100)).toBe(first);
  });
});
