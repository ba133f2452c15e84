import { Transform } from 'class-transformer';
import { ValidationOptions, ValidateBy, buildMessage } from 'class-validator';

/** Any UUID PostgreSQL accepts, in its canonical hyphenated form. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ISO-8601 instant in UTC, as the API writes them (milliseconds optional). */
export const ISO_UTC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * The milliseconds of an `ISO_UTC_PATTERN` time, or NaN when it names no real
 * instant: `Date.parse` rolls 2026-02-31 over to March 3 and 24:00 to the next
 * day, which would store a time the sender never wrote.
 */
export function parseIsoUtc(text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || !ISO_UTC_PATTERN.test(text)) return NaN;
  return new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19) ? ms : NaN;
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** A UUID, compared and stored lowercase. */
export function IsItemId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isItemId',
      validator: { validate: isUuid, defaultMessage: buildMessage((each) => `${each}$property must be a UUID`, options) },
    },
    options,
  );
}

export function LowerCase(): PropertyDecorator {
  return Transform(({ value }) =>
    typeof value === 'string'
      ? value.toLowerCase()
      : Array.isArray(value)
        ? value.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))
        : value,
  );
}

/**
 * Keeps a JSON payload exactly as parsed: the transformer would otherwise
 * rebuild it, and a key such as `__proto__` would not survive the copy.
 */
export function KeepRaw(): PropertyDecorator {
  return Transform(({ obj, key }) => (obj as Record<string, unknown>)[key]);
}
