import { DomainError } from '../common/domain-error';
import { storableCanonicalJson } from '../core/canonical-json';
import { contentDocument, fingerprintOfDocument } from '../core/fingerprint';
import { contentProblem, sizeProblem } from '../core/json-data';
import { MAX_DATA_BYTES } from '../core/limits';

/** A client's `data` as checked content: its fingerprint and the canonical text it is stored from. */
export interface CheckedContent {
  fingerprint: string;
  /** `data` as canonical JSON: measured, fingerprinted and written, never serialised again. */
  dataText: string;
}

/** A document with no data, and where data starts in a document: after the first colon. */
const EMPTY_DOCUMENT = contentDocument('', false);
const DATA_AT = EMPTY_DOCUMENT.indexOf(':') + 1;

/** One entry's data to check. */
export interface ContentToCheck {
  data: unknown;
  /** Its canonical text, when already read from the request and checked there. */
  known: string | undefined;
  /** Prefixes the message of a refusal. */
  where: string;
}

/**
 * The data of a request's entries checked like `checkedData` and
 * fingerprinted like `fingerprintOf(data, false)`, each from one canonical
 * serialisation (the object walked once, or its text as read from the
 * request): the canonical JSON differs from `JSON.stringify` only in key
 * order, so it has the same size, and `{"data":…,"deleted":false}` is already
 * canonical around it. The documents are written into one string, and each
 * size, fingerprint and stored text is read through a slice of it: while its
 * write runs, the request holds that one string rather than one per entry.
 */
export function checkedContents(entries: ContentToCheck[]): (CheckedContent | DomainError)[] {
  const texts = entries.map((entry) => entry.known ?? storableText(entry.data, entry.where));
  const documents = texts.flatMap((text) => (typeof text === 'string' ? [contentDocument(text, false)] : [])).join('');
  let end = 0;
  return texts.map((text, i) => {
    if (typeof text !== 'string') return text;
    const start = end;
    end += EMPTY_DOCUMENT.length + text.length;
    const document = documents.slice(start, end);
    const tooLarge = dataSizeProblem(document);
    if (tooLarge) return new DomainError('PAYLOAD_TOO_LARGE', `${entries[i].where}${tooLarge}`);
    return {
      fingerprint: fingerprintOfDocument(document),
      dataText: documents.slice(start + DATA_AT, start + DATA_AT + text.length),
    };
  });
}

/** Why the data in `document` is too large; only data that may be near the limit is measured (UTF-8 takes at most 3 bytes a UTF-16 unit). */
function dataSizeProblem(document: string): string | undefined {
  if ((document.length - EMPTY_DOCUMENT.length) * 3 <= MAX_DATA_BYTES) return undefined;
  // The text around the data is ASCII: one byte a character.
  return sizeProblem(Buffer.byteLength(document, 'utf8') - EMPTY_DOCUMENT.length);
}

/** `checkedContents` of one entry; a refusal is thrown. */
export function checkedContent(data: unknown, where: string, known?: string): CheckedContent {
  const [checked] = checkedContents([{ data, known, where }]);
  if (checked instanceof DomainError) throw checked;
  return checked;
}

/** The canonical text of `data`, or the refusal single writes give for it. */
function storableText(data: unknown, where: string): string | DomainError {
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  const text = isObject ? storableCanonicalJson(data) : undefined;
  // Rare: walk again for the message.
  return text ?? new DomainError('INVALID_INPUT', `${where}${contentProblem(data) ?? 'data is not a JSON object'}`);
}
