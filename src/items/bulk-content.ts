import { DomainError } from '../common/domain-error';
import { storableCanonicalJson } from '../core/canonical-json';
import { contentDocument, fingerprintOfDocument } from '../core/fingerprint';
import { contentProblem, textSizeProblem } from '../core/json-data';

/** A client's `data` as checked content: its fingerprint and the canonical text it is stored from. */
export interface CheckedContent {
  fingerprint: string;
  /** `data` as canonical JSON: measured, fingerprinted and written, never serialised again. */
  dataText: string;
}

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
 * canonical around it. Each document is its own short-lived string: one
 * string of them all would be a large allocation on every request, which
 * costs several times the hashing.
 */
export function checkedContents(entries: ContentToCheck[]): (CheckedContent | DomainError)[] {
  return entries.map((entry) => {
    const text = entry.known ?? storableText(entry.data, entry.where);
    if (typeof text !== 'string') return text;
    const tooLarge = textSizeProblem(text);
    if (tooLarge) return new DomainError('PAYLOAD_TOO_LARGE', `${entry.where}${tooLarge}`);
    return { fingerprint: fingerprintOfDocument(contentDocument(text, false)), dataText: text };
  });
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
