import { DomainError } from '../../src/common/domain-error';
import { parsePushBody } from '../../src/transactions/push-body';
import { aPushEntry } from '../factories/items';

/** The message of the 400 a body gets, or undefined when it is accepted. */
function refusal(body: unknown): string | undefined {
  try {
    parsePushBody(body);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_INPUT');
    return (error as Error).message;
  }
}

const withEntry = (entry: unknown) => ({ node: 'b', entries: [aPushEntry(), entry] });

describe('parsePushBody', () => {
  it('accepts a log entry as it is, lowercases the id and keeps the very data object', () => {
    const data = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}') as Record<string, unknown>;
    const entry = { ...aPushEntry({ data }), itemId: 'ABCDEF00-0000-4000-8000-000000000000', recordedAt: 'r', itemURI: 'u' };
    const parsed = parsePushBody({ node: 'b', basis: null, entries: [entry] });
    expect(parsed.basis).toBeUndefined();
    expect(parsed.entries[0]).toEqual({
      ...entry,
      itemId: entry.itemId.toLowerCase(),
      replaces: null,
      recordedAt: undefined,
      itemURI: undefined,
    });
    expect(parsed.entries[0].data).toBe(data);
  });

  it.each<[string, unknown, RegExp]>([
    ['a body that is not an object', [1], /the body must be a JSON object/],
    ['an unknown body property', { node: 'b', entries: [], extra: 1 }, /property extra should not exist/],
    ['a basis that is not a string', { node: 'b', basis: 7, entries: [] }, /basis must be a string/],
    ['an entry that is not an object', withEntry('x'), /entries\.1 must be an object/],
    ['an unknown entry property', withEntry({ ...aPushEntry(), colour: 1 }), /entries\.1\.property colour should not exist/],
    [
      'priority below int32',
      withEntry(aPushEntry({ priority: -(2 ** 31) - 1 })),
      /entries\.1\.priority must not be less than -2147483648/,
    ],
    [
      'priority above int32',
      withEntry(aPushEntry({ priority: 2 ** 31 })),
      /entries\.1\.priority must not be greater than 2147483647/,
    ],
    ['a fractional priority', withEntry(aPushEntry({ priority: 1.5 })), /entries\.1\.priority must be an integer/],
    [
      'an upper-case replaces',
      withEntry(aPushEntry({ replaces: 'A'.repeat(40) })),
      /entries\.1\.replaces must be 40 lowercase hex/,
    ],
    [
      'a recordedAt that is not a string',
      withEntry({ ...aPushEntry(), recordedAt: 5 }),
      /entries\.1\.recordedAt must be a string/,
    ],
    ['updatedAt that is not a string', withEntry({ ...aPushEntry(), updatedAt: 5 }), /entries\.1\.updatedAt must be an ISO-8601/],
  ])('refuses %s', (_, body, message) => {
    expect(refusal(body)).toMatch(message);
  });

  it('names every problem of every entry in one refusal', () => {
    const message = refusal({
      node: 'B',
      entries: [
        { ...aPushEntry(), origin: 'X' },
        { ...aPushEntry(), deleted: 'no' },
      ],
    });
    expect(message).toMatch(/node must be the sending node id/);
    expect(message).toMatch(/entries\.0\.origin must be a node id/);
    expect(message).toMatch(/entries\.1\.deleted must be a boolean value/);
  });
});
