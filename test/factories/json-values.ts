import fc from 'fast-check';

/** Doubles and integers, with the edge cases canonical JSON must write as ECMAScript does. */
export const jsonNumberArb: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(1e21, 1e-7, -0, 5e-324, Number.MAX_VALUE, -Number.MIN_VALUE, 2 ** 53, 0.1 + 0.2, 123456789.125, 1e300),
);

/**
 * JSON values a few levels deep: literals, `number`s, `text` strings, and
 * arrays and objects of them, object keys drawn from `key` (else `text`).
 */
export function jsonValueArb(
  leaves: { text: fc.Arbitrary<string>; key?: fc.Arbitrary<string>; number?: fc.Arbitrary<number> },
  size: { maxLength: number; maxKeys: number } = { maxLength: 4, maxKeys: 5 },
): fc.Arbitrary<unknown> {
  const { text, key = text, number = jsonNumberArb } = leaves;
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      number,
      text,
      fc.array(tie('value'), { maxLength: size.maxLength }),
      fc.dictionary(key, tie('value'), { maxKeys: size.maxKeys }),
    ),
  })).value;
}
