import { closingQuote, isNumberChar } from './json-text';
import { MAX_DATA_DEPTH } from './limits';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;

const isBlank = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

interface Member {
  name: string;
  text: string;
}

const byName = (a: Member, b: Member): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Reads canonical JSON straight from JSON text, without building the value:
 * for a value of the text, the same text `storableCanonicalJson` gives for
 * what JSON.parse builds from it, with strings that need no escape kept as
 * slices of the text. The text must be one JSON.parse accepted. Where the text
 * alone does not settle the answer (a key written with escapes or given
 * twice, a string decoding to what jsonb refuses, nesting past the data
 * limit, text with an unpaired surrogate) a read gives `undefined` and the
 * caller walks the parsed value instead.
 */
export class CanonicalTextReader {
  /** Where the reader is in the text. */
  pos = 0;
  /** Whether reads can answer at all: strings are kept as written only when the text is well-formed UTF-16. */
  readonly usable: boolean;

  constructor(private readonly text: string) {
    this.usable = text.isWellFormed();
  }

  /** The character code at the reader after any blanks, without moving past it. */
  peek(): number {
    while (isBlank(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.charCodeAt(this.pos);
  }

  /** Moves past the structural character the reader is at (after blanks) and answers it. */
  next(): number {
    const c = this.peek();
    this.pos++;
    return c;
  }

  /**
   * Moves past the comma or the closing `close` after a member or element:
   * true when another one follows. Anything else, which valid JSON never
   * holds, ends the container with the reader past the end of the text.
   */
  separator(close: number): boolean {
    const c = this.next();
    if (c === 0x2c) return true;
    if (c !== close) this.pos = this.text.length + 1;
    return false;
  }

  /** An object key at the reader when written without escapes, moving past it and its colon. */
  key(): string | undefined {
    if (this.peek() !== QUOTE) return undefined;
    const end = closingQuote(this.text, this.pos + 1);
    const name = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    this.next();
    return name.includes('\\') ? undefined : name;
  }

  /** Moves past the value at the reader. */
  skip(): void {
    let depth = 0;
    do {
      const c = this.peek();
      if (Number.isNaN(c)) return;
      if (c === QUOTE) this.pos = closingQuote(this.text, this.pos + 1) + 1;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET || c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth += c === OPEN_BRACE || c === OPEN_BRACKET ? 1 : -1;
        this.pos++;
      } else if (c === 0x2c || c === 0x3a) this.pos++;
      else while (this.pos < this.text.length && !this.endsScalar(this.text.charCodeAt(this.pos))) this.pos++;
    } while (depth > 0);
  }

  /**
   * The canonical JSON of the value at the reader, moving past it; `depth`
   * counts the containers around it as `storableCanonicalJson` does.
   */
  value(depth: number): string | undefined {
    if (!this.usable) return undefined;
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth >= MAX_DATA_DEPTH) return undefined;
      return c === OPEN_BRACE ? this.object(depth + 1) : this.array(depth + 1);
    }
    return this.scalar();
  }

  private endsScalar(c: number): boolean {
    return isBlank(c) || c === 0x2c || c === CLOSE_BRACE || c === CLOSE_BRACKET;
  }

  private string(): string | undefined {
    const end = closingQuote(this.text, this.pos + 1);
    const written = this.text.slice(this.pos, end + 1);
    this.pos = end + 1;
    // Without escapes, valid JSON text is already how JSON.stringify writes the string.
    if (!written.includes('\\')) return written;
    const value = JSON.parse(written) as string;
    if (value.includes('\u0000') || !value.isWellFormed()) return undefined;
    return JSON.stringify(value);
  }

  /** A number or a literal. */
  private scalar(): string | undefined {
    const start = this.pos;
    while (this.pos < this.text.length && !this.endsScalar(this.text.charCodeAt(this.pos))) this.pos++;
    const token = this.text.slice(start, this.pos);
    if (token === 'true' || token === 'false' || token === 'null') return token;
    if (!isNumberChar(token.charCodeAt(0))) return undefined;
    const value = Number(token);
    return Number.isFinite(value) ? String(value) : undefined;
  }

  private object(depth: number): string | undefined {
    this.pos++;
    if (this.peek() === CLOSE_BRACE) {
      this.pos++;
      return '{}';
    }
    const members: Member[] = [];
    do {
      const name = this.key();
      if (name === undefined) return undefined;
      const text = this.value(depth);
      if (text === undefined) return undefined;
      members.push({ name, text });
    } while (this.separator(CLOSE_BRACE));
    if (this.pos > this.text.length) return undefined;
    members.sort(byName);
    let text = `{"${members[0].name}":${members[0].text}`;
    for (let i = 1; i < members.length; i++) {
      // JSON.parse keeps the last of a repeated key, in the first one's place: the parsed value settles that.
      if (members[i].name === members[i - 1].name) return undefined;
      text += `,"${members[i].name}":${members[i].text}`;
    }
    return `${text}}`;
  }

  private array(depth: number): string | undefined {
    this.pos++;
    if (this.peek() === CLOSE_BRACKET) {
      this.pos++;
      return '[]';
    }
    let text = '[';
    do {
      const element = this.value(depth);
      if (element === undefined) return undefined;
      text += text.length === 1 ? element : `,${element}`;
    } while (this.separator(CLOSE_BRACKET));
    if (this.pos > this.text.length) return undefined;
    return `${text}]`;
  }
}
