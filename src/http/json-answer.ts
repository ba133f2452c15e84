import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';

/**
 * An answer whose JSON text was written in pieces (a log page, a batch), sent
 * piece by piece: the text is never joined into one string, nor copied into
 * one buffer, on its way out.
 */
export function jsonAnswer(pieces: string[]): StreamableFile {
  const length = pieces.reduce((bytes, piece) => bytes + Buffer.byteLength(piece), 0);
  return new StreamableFile(Readable.from(pieces), { type: 'application/json; charset=utf-8', length });
}
