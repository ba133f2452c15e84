import { Transform } from 'class-transformer';
import { ValidationOptions, ValidateBy, buildMessage } from 'class-validator';

/** Any UUID PostgreSQL accepts, in its canonical hyphenated form. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ISO-8601 instant in UTC, as the API writes them (milliseconds optional). */
export const ISO_UTC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Days from 1970-01-01 to a proleptic Gregorian date (any year 0..9999), by whole eras of 400 years. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * The milliseconds of an `ISO_UTC_PATTERN` time, or NaN when it names no real
 * instant (February 31, hour 24, second 60): never rolled over into another
 * time the sender did not write. Read field by field, as it runs for every
 * version a node receives.
 */
export function parseIsoUtc(text: string): number {
  if (!ISO_UTC_PATTERN.test(text)) return NaN;
  const field = (from: number, to: number) => Number(text.slice(from, to));
  const [year, month, day] = [field(0, 4), field(5, 7), field(8, 10)];
  const [hour, minute, second] = [field(11, 13), field(14, 16), field(17, 19)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return NaN;
  const millis = text.length > 20 ? Number(text.slice(20, -1).padEnd(3, '0')) : 0;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
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
