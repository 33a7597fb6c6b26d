import { ValidationError } from "../errors/validation-error";

// Guards shared by every constructor, method and `fromJSON` of the domain.
// They run before any state changes, so a throw leaves nothing half-changed,
// and they check runtime types as well: plain JavaScript callers get the
// same typed errors as TypeScript ones.

/**
 * Returns `value` when `valid`, else throws a ValidationError naming the field.
 *
 * @internal
 */
export function ensure<T>(valid: boolean, value: unknown, field: string, expected: string): T {
  if (!valid) throw new ValidationError(field, value, expected);
  return value as T;
}

/** @internal */
export function requireText(value: unknown, field: string): string {
  return ensure(typeof value === "string" && value !== "", value, field, "a non-empty string");
}

/** @internal */
export function requirePositiveQuantity(value: unknown, field: string): number {
  return requireCount(value, field, 1);
}

/** @internal */
export function requireQuantity(value: unknown, field: string): number {
  return requireCount(value, field, 0);
}

function requireCount(value: unknown, field: string, least: number): number {
  return ensure(
    Number.isSafeInteger(value) && (value as number) >= least,
    value,
    field,
    `a ${least > 0 ? "positive" : "non-negative"} safe integer`,
  );
}

/**
 * Reads an eta as `toJSON` writes it (`Date#toISOString`, such as
 * 2026-12-01T09:30:00.000Z) or as a bare date (2026-12-01, midnight UTC), or
 * null. Comparing with the canonical form refuses every other spelling and
 * every day that does not exist, in a few bytes of code.
 *
 * @internal
 */
export function requireJsonEta(value: unknown, field: string): number | null {
  if (value === null) return null;
  const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
  const canonical = Number.isNaN(time) ? "" : new Date(time).toISOString();
  if (canonical !== value && canonical !== `${value}T00:00:00.000Z`) {
    throw new ValidationError(field, value, "an ISO 8601 date-time in UTC, a date, or null");
  }
  return time;
}

/**
 * Returns the eta as epoch milliseconds, or null for stock in the warehouse.
 *
 * @internal
 */
export function requireEta(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new ValidationError(field, value, "a valid Date or null");
  return time;
}

// An ISO 8601 calendar date, optionally with a time that then must carry its
// offset: a time without one is read in the machine's zone by `Date.parse`,
// so the same document would mean different instants on different machines.
// Date.parse refuses hours, minutes and offsets out of range itself.
const ISO_DATE = /^([+-]\d{6}|\d{4})-(\d\d)-(\d\d)(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/;

/**
 * Reads an eta written as an ISO 8601 date or date-time string, or null.
 *
 * @internal
 */
export function requireIsoEta(value: unknown, field: string): number | null {
  if (value === null) return null;
  const match = typeof value === "string" ? ISO_DATE.exec(value) : null;
  const time = match === null ? Number.NaN : Date.parse(match[0]);
  if (Number.isNaN(time) || !isCalendarDay(match as RegExpExecArray)) {
    throw new ValidationError(field, value, "an ISO 8601 date or null");
  }
  return time;
}

// Date.parse rolls 2026-02-30 over to March 2 instead of refusing it.
function isCalendarDay([, year, month, day]: RegExpExecArray): boolean {
  // setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
  const probe = new Date(0);
  probe.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return probe.getUTCMonth() === Number(month) - 1;
}

/** @internal */
export function requireRecord(value: unknown, field: string): Readonly<Record<string, unknown>> {
  return ensure(
    typeof value === "object" && value !== null && !Array.isArray(value),
    value,
    field,
    "an object",
  );
}

/** @internal */
export function requireArray(value: unknown, field: string): readonly unknown[] {
  return ensure(Array.isArray(value), value, field, "an array");
}

/** @internal */
export function requireIterable<T>(
  value: Iterable<T>,
  field: string,
  expected: string,
): Iterable<T> {
  if (value === null || typeof (value as Partial<Iterable<T>>)?.[Symbol.iterator] !== "function") {
    throw new ValidationError(field, value, expected);
  }
  return value;
}

/**
 * Reads a nested part of a JSON document, naming the part in any
 * ValidationError it throws: `qty` becomes `batches[2].qty`, and the part
 * itself (`kind`, such as "batch") becomes `batches[2]`.
 *
 * @internal
 */
export function readNested<T>(path: string, kind: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = error.field === kind ? path : `${path}.${error.field}`;
    throw new ValidationError(field, error.value, error.expected);
  }
}
