import { CanonicalTextReader } from '../core/canonical-text';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * The canonical JSON of each entry's `data` in a bulk body, read from the
 * body's text (one JSON.parse accepted) rather than from what JSON.parse
 * built: at index i, the text of `items[i].data` where the text settles it
 * (see CanonicalTextReader), else undefined and that entry's parsed data is
 * walked instead. Empty for a body that is not `{"items": [...]}` alone.
 */
export function bulkDataTexts(text: string): (string | undefined)[] {
  const reader = new CanonicalTextReader(text);
  if (!reader.usable || reader.next() !== OPEN_BRACE || reader.key() !== 'items' || reader.peek() !== OPEN_BRACKET) return [];
  reader.pos++;
  const texts: (string | undefined)[] = [];
  if (reader.peek() === CLOSE_BRACKET) reader.pos++;
  else {
    do {
      const start = reader.pos;
      const found = entryDataText(reader);
      if (found === undefined) {
        reader.pos = start;
        reader.skip();
      }
      texts.push(found);
    } while (reader.separator(CLOSE_BRACKET));
  }
  // A repeated "items" is one JSON.parse would have kept instead.
  return reader.next() === CLOSE_BRACE && reader.pos <= text.length ? texts : [];
}

/** The canonical text of the `data` object of the entry at the reader, moving past the entry; undefined where the text does not settle it. */
function entryDataText(reader: CanonicalTextReader): string | undefined {
  if (reader.next() !== OPEN_BRACE || reader.peek() === CLOSE_BRACE) return undefined;
  let data: string | undefined;
  do {
    const name = reader.key();
    if (name === undefined) return undefined;
    if (name !== 'data') reader.skip();
    else if (data !== undefined || reader.peek() !== OPEN_BRACE) return undefined;
    else data = reader.value(0);
    if (name === 'data' && data === undefined) return undefined;
  } while (reader.separator(CLOSE_BRACE));
  return data;
}
