/** Small readers of JSON text shared by the body scan and the canonical text reader. */

const BACKSLASH = 0x5c;

/**
 * The index of the quote closing the string whose characters start at
 * `from`, or -1 when none does. A quote is escaped when an odd number of
 * backslashes precede it, so a reader jumps from quote to quote rather than
 * walking every character.
 */
export function closingQuote(text: string, from: number): number {
  for (let at = from; ;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (quote - backslashes - 1 >= from && text.charCodeAt(quote - backslashes - 1) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** The characters a number token runs over: `[-+0-9.eE]`. */
export const isNumberChar = (c: number): boolean =>
  isDigit(c) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
