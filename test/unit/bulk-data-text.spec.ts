import fc from 'fast-check';
import { storableCanonicalJson } from '../../src/core/canonical-json';
import { MAX_DATA_DEPTH } from '../../src/core/limits';
import { bulkDataTexts } from '../../src/items/bulk-data-text';
import { jsonValueArb } from '../factories/json-values';

/** A small deterministic generator, so a failing layout replays from its seed. */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

type Pick = (n: number) => number;

const BLANKS = ['', '', ' ', '\n', '\t', '\r\n  '];
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\r': '\\r',
  '/': '\\/',
};

function unicodeEscape(unit: number, pick: Pick): string {
  const hex = unit.toString(16).padStart(4, '0');
  return `\\u${pick(2) ? hex : hex.toUpperCase()}`;
}

/** A JSON string for `value`, each unit written as it is where JSON allows or escaped, at random unless `plain`. */
function stringText(value: string, pick: Pick, plain: boolean): string {
  let text = '"';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const char = value[i];
    const paired = unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const lone =
      (unit & 0xf800) === 0xd800 &&
      !paired &&
      !(i > 0 && (unit & 0xfc00) === 0xdc00 && (value.charCodeAt(i - 1) & 0xfc00) === 0xd800);
    const mustEscape = unit < 0x20 || char === '"' || char === '\\' || lone;
    if (!mustEscape && (plain || pick(8) > 0)) text += char;
    else if (SHORT_ESCAPES[char] && pick(2)) text += SHORT_ESCAPES[char];
    else text += unicodeEscape(unit, pick);
  }
  return `${text}"`;
}

/** Other ways of writing the same double, so the reader has to bring each to its canonical form. */
function numberText(value: number, pick: Pick, plain: boolean): string {
  const text = JSON.stringify(value);
  if (plain || /e/i.test(text)) return text;
  const fraction = text.includes('.') ? '' : '.0';
  return [text, `${text}${fraction}`, `${text}${fraction}E0`, `${text}e+0`, `${text}${fraction}00e-0`][pick(5)];
}

/** JSON text of `value` with random blanks and escapes and, unless `plain`, sometimes a key given twice. */
function jsonText(value: unknown, pick: Pick, plain: boolean): string {
  const blank = () => (plain ? '' : BLANKS[pick(BLANKS.length)]);
  if (typeof value === 'string') return stringText(value, pick, plain);
  if (typeof value === 'number') return numberText(value, pick, plain);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${blank()}${value.map((v) => jsonText(v, pick, plain)).join(`${blank()},${blank()}`)}${blank()}]`;
  const members = Object.entries(value).map(
    ([k, v]) => `${stringText(k, pick, plain)}${blank()}:${blank()}${jsonText(v, pick, plain)}`,
  );
  if (!plain && members.length > 0 && pick(6) === 0)
    members.splice(pick(members.length), 0, `${stringText(Object.keys(value)[0], pick, plain)}:0`);
  return `{${blank()}${members.join(`${blank()},${blank()}`)}${blank()}}`;
}

const unit = fc.oneof(
  fc.constantFrom('a', 'é', '😀', '"', '\\', '/', '\n', '\u0000', '\u001f', '\u2028', '\ud800', '\udc00', '\uff61', ' ', '!'),
  fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
);
const text = fc.oneof(fc.string(), fc.string({ unit }), fc.string({ unit: 'binary' }));
const json = { value: jsonValueArb({ text }) };
const data = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(text, json.value, { maxKeys: 6 }) },
  { weight: 1, arbitrary: json.value },
);
const entry = fc.record(
  { id: fc.uuid(), data, deleted: fc.boolean(), ifMatch: fc.string(), extra: json.value },
  { requiredKeys: [] },
);

/** A bulk body holding `entries`, laid out by `pick`: the envelope's own keys as they are, every value at random. */
function bodyText(entries: Record<string, unknown>[], pick: Pick, plain: boolean): string {
  const blank = () => (plain ? '' : BLANKS[pick(BLANKS.length)]);
  const member = ([key, value]: [string, unknown]) =>
    `${blank()}"${key}"${blank()}:${blank()}${jsonText(value, pick, plain)}${blank()}`;
  const items = entries.map((entry) => `${blank()}{${Object.entries(entry).map(member).join(',')}}${blank()}`);
  return `${blank()}{${blank()}"items"${blank()}:${blank()}[${items.join(',')}]${blank()}}${blank()}`;
}

const itemsData = (body: string) => (JSON.parse(body) as { items: { data?: unknown }[] }).items.map((e) => e.data);

describe('bulkDataTexts', () => {
  it("gives each entry's data exactly as storableCanonicalJson gives it from the parsed body, or leaves it to that", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.integer(), fc.boolean(), (entries, seed, plain) => {
        const body = bodyText(entries, seeded(seed), plain);
        const texts = bulkDataTexts(body);
        const parsed = itemsData(body);
        // None at all for a body whose envelope the text does not settle (a repeated "items").
        if (texts.length > 0) expect(texts).toHaveLength(parsed.length);
        texts.forEach((found, i) => {
          if (found !== undefined) expect(found).toBe(storableCanonicalJson(parsed[i]));
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every data object whose keys are written without escapes and given once', () => {
    const plainKey = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀', ' ', '!', '_', 'Z', '\uff61', '\u2028') });
    const plainJson = { value: jsonValueArb({ text, key: plainKey }) };
    const plainData = fc.dictionary(plainKey, plainJson.value, { maxKeys: 6 });
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.uuid(), data: plainData }), { maxLength: 5 }), fc.integer(), (entries, seed) => {
        const body = bodyText(entries, seeded(seed), true);
        const parsed = itemsData(body);
        expect(bulkDataTexts(body)).toEqual(parsed.map((d) => storableCanonicalJson(d)));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the bench shape, blanks and other spellings of numbers included', () => {
    const body =
      '{ "items" : [ {"id":"x","data": {"title":"item 1" , "n":1.50E1,"edit":-0,"body":"ab\\u00e9\\n"}} ,{"deleted":true,"id":"y"} ] }';
    expect(bulkDataTexts(body)).toEqual(['{"body":"abé\\n","edit":0,"n":15,"title":"item 1"}', undefined]);
  });

  it('leaves to the parsed value what the text does not settle', () => {
    const data = (d: string) => bulkDataTexts(`{"items":[{"data":${d}}]}`)[0];
    expect(data('{"a":1,"a":2}')).toBeUndefined();
    expect(data('{"\\u0061":1}')).toBeUndefined();
    expect(data('{"a":"\\u0000"}')).toBeUndefined();
    expect(data('{"a":"\\ud800"}')).toBeUndefined();
    expect(data('[1]')).toBeUndefined();
    expect(data('null')).toBeUndefined();
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}`;
    expect(data(nested(MAX_DATA_DEPTH - 1))).toBe(storableCanonicalJson(JSON.parse(nested(MAX_DATA_DEPTH - 1))));
    expect(data(nested(MAX_DATA_DEPTH))).toBeUndefined();
    expect(data('{"__proto__":{"b":[true,false,null]}}')).toBe('{"__proto__":{"b":[true,false,null]}}');
  });

  it('reads entries by position, whatever the other fields, and nothing from a body of another shape', () => {
    expect(
      bulkDataTexts('{"items":[{"id":"x","data":{"b":1,"a":[]},"ifMatch":"*"},{},{"d\\u0061ta":{"a":1}},{"data":{"c":{}}}]}'),
    ).toEqual(['{"a":[],"b":1}', undefined, undefined, '{"c":{}}']);
    expect(bulkDataTexts('{"items":[{"data":{"a":1},"data":{"b":2}}]}')).toEqual([undefined]);
    expect(bulkDataTexts('{"items":[],"items":[{"data":{}}]}')).toEqual([]);
    expect(bulkDataTexts('{"extra":1,"items":[{"data":{}}]}')).toEqual([]);
    expect(bulkDataTexts('{"items":{}}')).toEqual([]);
    expect(bulkDataTexts('{"items":[{"data":{"s":"\ud800"}}]}')).toEqual([]);
  });
});
