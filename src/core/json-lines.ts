import { TEXT_PIECE_CHARS } from './limits';

/**
 * Large answers between nodes (log pages, batches) are JSON with their one
 * long array written an element per line. A raw newline in JSON text can only
 * be whitespace between tokens (inside a string it must be escaped), so the
 * reader can cut the bytes at newlines and parse each element apart: small
 * strings instead of one of several megabytes, which the runtime would place
 * in freshly mapped memory on every page. The text stays plain JSON for any
 * other reader, and text framed any other way is parsed whole.
 */

const NEWLINE = 0x0a;

/**
 * The JSON text `head` + the elements as an array + `tail`, in pieces to be
 * sent in order. `head` must end where the array opens (`…"entries":[`) and
 * `tail` start where it closes (`],…`), each on its own line.
 */
export function jsonWithArrayLines(head: string, elements: readonly string[], tail: string): string[] {
  const pieces: string[] = [];
  let piece = `${head}\n`;
  for (let i = 0; i < elements.length; i++) {
    piece += i < elements.length - 1 ? `${elements[i]},\n` : `${elements[i]}\n`;
    if (piece.length >= TEXT_PIECE_CHARS) {
      pieces.push(piece);
      piece = '';
    }
  }
  pieces.push(`${piece}${tail}`);
  return pieces;
}

/** The lines of bytes that arrived in `chunks`, each decoded as UTF-8 (a newline byte is never part of a longer character). */
export function utf8Lines(chunks: readonly Uint8Array[]): string[] {
  const lines: string[] = [];
  let pending: Buffer[] = [];
  for (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, end);
      lines.push((pending.length > 0 ? Buffer.concat([...pending, piece]) : piece).toString('utf8'));
      pending = [];
      start = end + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  lines.push(Buffer.concat(pending).toString('utf8'));
  return lines;
}

/** JSON's own whitespace, the only kind JSON.parse allows around a value. */
const isJsonBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** `line` without the comma that ends it (after JSON whitespace), or undefined when it has none. */
function withoutTrailingComma(line: string): string | undefined {
  let end = line.length;
  while (end > 0 && isJsonBlank(line.charCodeAt(end - 1))) end--;
  return line.charCodeAt(end - 1) === 0x2c ? line.slice(0, end - 1) : undefined;
}

/** Stands for the array while the lines around it are parsed; found anywhere but there (it can be written escaped), the text is parsed whole. */
const MARK = '\u0000array';

/**
 * The value of JSON text framed as `jsonWithArrayLines` writes it: the first
 * and last lines hold the object around the array (a member of the top-level
 * object), each line between them one element. Undefined when the lines are
 * not framed so, or not valid JSON, for the caller to parse the text whole:
 * where it answers, it answers what JSON.parse of the whole text would.
 */
export function parseArrayLines(lines: readonly string[]): unknown {
  if (lines.length < 2) return undefined;
  try {
    let marks = 0;
    const outer: unknown = JSON.parse(`${lines[0]}${JSON.stringify(MARK)}${lines[lines.length - 1]}`, (_key, value) => {
      if (value === MARK) marks++;
      return value;
    });
    if (marks !== 1 || typeof outer !== 'object' || outer === null || Array.isArray(outer)) return undefined;
    const keys = Object.keys(outer).filter((key) => {
      const value = (outer as Record<string, unknown>)[key];
      return Array.isArray(value) && value.length === 1 && value[0] === MARK;
    });
    if (keys.length !== 1 || keys[0] === '__proto__') return undefined;
    const elements: unknown[] = [];
    for (let i = 1; i < lines.length - 1; i++) {
      const text = i < lines.length - 2 ? withoutTrailingComma(lines[i]) : lines[i];
      if (text === undefined) return undefined;
      elements.push(JSON.parse(text));
    }
    (outer as Record<string, unknown>)[keys[0]] = elements;
    return outer;
  } catch {
    return undefined;
  }
}

/** The JSON value of an answer that arrived in `chunks`; throws SyntaxError when it is not JSON. */
export function parseJsonChunks(chunks: readonly Uint8Array[]): unknown {
  const lines = utf8Lines(chunks);
  return parseArrayLines(lines) ?? JSON.parse(lines.join('\n'));
}
