import { ValidationError } from "../errors/validation-error";

// Guards shared by every constructor, method and `fromJSON` of the domain.
// They run before any state changes, so a throw leaves nothing half-changed,
// and they check runtime types as well: plain JavaScript callers get the
// same typed errors as TypeScript ones.

/** @internal */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(field, value, "a non-empty string");
  }
  return value;
}

/** @internal */
export function requirePositiveQuantity(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new ValidationError(field, value, "a positive safe integer");
  }
  return value as number;
}

/** @internal */
export function requireQuantity(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new ValidationError(field, value, "a non-negative safe integer");
  }
  return value as number;
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
const ISO_DATE =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Reads an eta written as an ISO 8601 date or date-time string, or null.
 *
 * @internal
 */
export function requireIsoEta(value: unknown, field: string): number | null {
  if (value === null) return null;
  const match = typeof value === "string" ? ISO_DATE.exec(value) : null;
  const time = match === null ? Number.NaN : Date.parse(value as string);
  if (match === null || Number.isNaN(time) || !inRange(match)) {
    throw new ValidationError(
      field,
      value,
      "an ISO 8601 date (2026-05-01 or 2026-05-01T09:30:00Z) or null",
    );
  }
  return time;
}

// Date.parse rolls 2026-02-30 over to March 2 instead of refusing it.
function inRange(match: RegExpExecArray): boolean {
  const part = (index: number): number => Number(match[index] ?? 0);
  const month = part(2);
  const day = part(3);
  // setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(part(1), month, 0);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= lastDay.getUTCDate() &&
    part(4) <= 23 &&
    part(5) <= 59 &&
    part(6) <= 59 &&
    part(7) <= 23 &&
    part(8) <= 59
  );
}

/** @internal */
export function requireRecord(value: unknown, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(field, value, "an object");
  }
  return value as Readonly<Record<string, unknown>>;
}

/** @internal */
export function requireArray(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(field, value, "an array");
  return value;
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

/** Prefixes a nested field name: `at("batches[0]", "qty")` is `batches[0].qty`. @internal */
export function at(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}
