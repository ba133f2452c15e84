import { MAX_DATA_DEPTH } from './limits';

/** A string holding none of these is its own JSON text between quotes, and storable as it is. */
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * The RFC 8785 (JCS) canonical JSON of a JSON value: no whitespace, object
 * keys sorted by UTF-16 code units, numbers and strings as ECMAScript
 * serialises them. As in JSON.stringify, an object member that is undefined
 * or a symbol is left out and an array element that is one is `null`; an
 * object's `toJSON` method is used. `undefined` for what has no JSON form:
 * a non-finite number, a function, a bigint, or undefined itself.
 */
export function canonicalJson(value: unknown): string | undefined {
  return valueText(value, false, 0);
}

/**
 * The canonical JSON of `data` when PostgreSQL's jsonb can store it exactly,
 * in one walk; `undefined` for anything `contentProblem` refuses (and for an
 * object with a `toJSON` method, which is never parsed JSON): a value that is
 * not JSON, `\u0000` or an unpaired surrogate in a string or key, nesting
 * deeper than MAX_DATA_DEPTH.
 */
export function storableCanonicalJson(data: unknown): string | undefined {
  return valueText(data, true, 0);
}

function valueText(value: unknown, storable: boolean, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return stringText(value, storable);
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (storable && depth >= MAX_DATA_DEPTH) return undefined;
      return containerText(value, storable, depth + 1);
    default:
      return undefined;
  }
}

function stringText(value: string, storable: boolean): string | undefined {
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  if (storable && (value.includes('\u0000') || !value.isWellFormed())) return undefined;
  return JSON.stringify(value);
}

/** Left out of an object, `null` in an array: what JSON.stringify does with them. */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'symbol';
}

function containerText(value: object, storable: boolean, depth: number): string | undefined {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return storable ? undefined : valueText(toJSON.call(value), false, depth);
  return Array.isArray(value) ? arrayText(value, storable, depth) : objectText(value as Record<string, unknown>, storable, depth);
}

function arrayText(value: unknown[], storable: boolean, depth: number): string | undefined {
  let text = '[';
  for (let i = 0; i < value.length; i++) {
    const element = value[i];
    const member = !storable && isSkipped(element) ? 'null' : valueText(element, storable, depth);
    if (member === undefined) return undefined;
    text += i === 0 ? member : `,${member}`;
  }
  return `${text}]`;
}

/** Objects with at most this many keys have them sorted in place, by insertion. */
const FEW_KEYS = 16;

/**
 * The keys of `value` in UTF-16 code unit order, the order RFC 8785 asks for
 * (both `<` and the default sort compare so). The default sort allocates
 * working state on every call, the largest single cost of a body's walk; the
 * few keys of most objects are sorted without any.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > FEW_KEYS) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}

function objectText(value: Record<string, unknown>, storable: boolean, depth: number): string | undefined {
  const keys = sortedKeys(value);
  let text = '{';
  for (const key of keys) {
    const member = value[key];
    if (!storable && isSkipped(member)) continue;
    const name = stringText(key, storable);
    const memberText = valueText(member, storable, depth);
    if (name === undefined || memberText === undefined) return undefined;
    text += text.length === 1 ? `${name}:${memberText}` : `,${name}:${memberText}`;
  }
  return `${text}}`;
}
