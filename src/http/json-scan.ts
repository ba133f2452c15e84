import { closingQuote, isDigit, isNumberChar } from '../core/json-text';
import { MAX_DATA_DEPTH } from '../core/limits';

/** A request body nests `data` under at most a few envelope levels (a push: body, entries, entry). */
export const MAX_BODY_DEPTH = MAX_DATA_DEPTH + 4;

/** A decimal number as sign, significant digits and exponent, so equal values compare equal as text. */
function normalised(token: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(token);
  if (!match) return token;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  const significant = digits.replace(/0+$/, '');
  return `${sign}${significant}e${Number(exponent) - fraction.length + digits.length - significant.length}`;
}

/**
 * JSON.parse turns 1e400 into Infinity, 1e-400 into 0 and 2^64+1 into 2^64:
 * stored, each would be a silent change. A number is taken only when the
 * double it parses to is exactly the number written.
 */
export function numberProblem(token: string, where = 'number'): string | undefined {
  const value = Number(token);
  const shown = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  if (!Number.isFinite(value)) return `${where} is a number outside the range that can be stored (${shown})`;
  if (normalised(String(value)) !== normalised(token)) {
    return `${where} is a number that cannot be stored exactly (${shown} would become ${value})`;
  }
  return undefined;
}

const QUOTE = 0x22;
const MINUS = 0x2d;
const COMMA = 0x2c;

/** An integer of at most 15 digits is a double exactly: the one kind of number most bodies hold. */
function isShortInteger(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start) === MINUS ? start + 1 : start;
  if (end === first || end - first > 15) return false;
  for (let i = first; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Where the scan is: one frame per open object (where its current key is in the text) or array (its current index). */
class Frame {
  index = 0;
  keyStart = 0;
  keyEnd = 0;

  constructor(readonly isArray: boolean) {}
}

function pathOf(text: string, frames: Frame[]): string {
  const parts = frames.map((frame) =>
    frame.isArray ? `[${frame.index}]` : `.${text.slice(frame.keyStart, Math.min(frame.keyEnd, frame.keyStart + 40))}`,
  );
  return parts.length === 0 ? 'body' : parts.join('').replace(/^\./, '');
}

/** A string followed by a colon (within a few blanks) is a key. */
const BEFORE_COLON = /\s{0,6}:/y;

/**
 * Walks JSON text once, with no recursion: refuses nesting deeper than
 * `maxDepth` and numbers that would not survive parsing, before JSON.parse
 * builds anything. Syntax errors are left to JSON.parse.
 */
export function jsonTextProblem(text: string, maxDepth = MAX_BODY_DEPTH): string | undefined {
  const frames: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = frames[frames.length - 1];
    if (c === QUOTE) {
      const end = closingQuote(text, i + 1);
      if (end < 0) return undefined;
      BEFORE_COLON.lastIndex = end + 1;
      if (top && !top.isArray && BEFORE_COLON.test(text)) {
        top.keyStart = i + 1;
        top.keyEnd = end;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (frames.length >= maxDepth) return `${pathOf(text, frames)} is nested deeper than ${MAX_DATA_DEPTH} levels`;
      frames.push(new Frame(c === 0x5b));
    } else if (c === 0x7d || c === 0x5d) {
      frames.pop();
    } else if (c === COMMA && top?.isArray) {
      top.index++;
    } else if (c === MINUS || isDigit(c)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      const token = isShortInteger(text, i, end) ? undefined : text.slice(i, end);
      if (token !== undefined && numberProblem(token)) return numberProblem(token, pathOf(text, frames));
      i = end - 1;
    }
  }
  return undefined;
}
