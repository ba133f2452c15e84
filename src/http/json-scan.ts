import { MAX_DATA_DEPTH } from '../core/limits';

/** A request body nests `data` under at most a few envelope levels (a push: body, entries, entry). */
export const MAX_BODY_DEPTH = MAX_DATA_DEPTH + 4;

const NUMBER_CHAR = /[-+0-9.eE]/;

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

/** Where the scan is: one frame per open object (its current key) or array (its current index). */
type Frame = { key: string } | { index: number };

function pathOf(frames: Frame[]): string {
  const parts = frames.map((frame) => ('key' in frame ? `.${frame.key.slice(0, 40)}` : `[${frame.index}]`));
  return parts.length === 0 ? 'body' : parts.join('').replace(/^\./, '');
}

/**
 * Walks JSON text once, with no recursion: refuses nesting deeper than
 * `maxDepth` and numbers that would not survive parsing, before JSON.parse
 * builds anything. Syntax errors are left to JSON.parse.
 */
export function jsonTextProblem(text: string, maxDepth = MAX_BODY_DEPTH): string | undefined {
  const frames: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = frames[frames.length - 1];
    if (c === '"') {
      const start = i + 1;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (top && 'key' in top && /^\s*:/.test(text.slice(i + 1, i + 8))) top.key = text.slice(start, i);
    } else if (c === '{' || c === '[') {
      if (frames.length >= maxDepth) return `${pathOf(frames)} is nested deeper than ${MAX_DATA_DEPTH} levels`;
      frames.push(c === '{' ? { key: '' } : { index: 0 });
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',' && top && 'index' in top) {
      top.index++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text[end])) end++;
      const problem = numberProblem(text.slice(i, end), pathOf(frames));
      if (problem) return problem;
      i = end - 1;
    }
  }
  return undefined;
}
