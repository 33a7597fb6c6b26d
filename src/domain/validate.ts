import { CosmicError } from "../errors/cosmic-error";
import { dateTimeOf, ValidationError } from "../errors/validation-error";

export { dateTimeOf };

// Guards shared by every constructor, method and `fromJSON` of the domain.
// They run before any state changes, so a throw leaves nothing half-changed,
// and they check runtime types as well: plain JavaScript callers get the
// same typed errors as TypeScript ones.
//
// Every guard is total: for any value at all, including a revoked Proxy, an
// object whose getters or iterator throw, or a fake Date, it returns or
// throws a ValidationError. Probes that can run user code (a property read,
// `Array.isArray` or `instanceof` on a Proxy) run inside try/catch, and what
// the user code threw becomes the ValidationError's `cause`.

/**
 * Runs `read`, which may run the caller's code (a getter, a Proxy trap, an
 * iterator), and turns what it throws into a ValidationError of `field` with
 * the thrown value as its `cause`. An error of this package passes unchanged.
 *
 * @internal
 */
export function attempt<T>(read: () => T, field: string, value: unknown, expected: string): T {
  try {
    return read();
  } catch (cause) {
    if (CosmicError.is(cause)) throw cause;
    throw new ValidationError(field, value, expected, { cause });
  }
}

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
  // Only a string is read: a template literal of a symbol or of a
  // null-prototype object would throw a TypeError before the check.
  const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
  const canonical = Number.isNaN(time) ? "" : new Date(time).toISOString();
  if (canonical === "" || (canonical !== value && canonical !== `${value}T00:00:00.000Z`)) {
    throw new ValidationError(field, value, "an ISO 8601 date-time in UTC, a date, or null");
  }
  return time;
}

/**
 * Returns the time of a valid Date as epoch milliseconds.
 *
 * A Date from another realm or of a subclass is a Date: its time is read from
 * the internal slot, so a subclass whose `getTime` returns Infinity or a
 * string gives its true time. A Proxy of a Date, `Object.create(Date.prototype)`
 * and an invalid Date are refused.
 *
 * @internal
 */
export function requireDate(value: unknown, field: string, expected = "a valid Date"): number {
  const time = dateTimeOf(value);
  // A real Date holds NaN or a time within ±8.64e15 ms; Number.isFinite covers both.
  if (time === undefined || !Number.isFinite(time)) {
    throw new ValidationError(field, value, expected);
  }
  return time;
}

/**
 * Returns the eta as epoch milliseconds, or null for stock in the warehouse.
 * Any valid Date is accepted, as {@link requireDate} reads it.
 *
 * @internal
 */
export function requireEta(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  return requireDate(value, field, "a valid Date or null");
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

/**
 * Checks that `value` is an object (not an array) and returns a reader of its
 * properties: reading one that throws (a getter, a Proxy trap, a Proxy revoked
 * meanwhile) throws a ValidationError naming `field`, with what was thrown as
 * its `cause`. The reader reads the object itself on each access, so getters
 * inherited from a class work as on the object. Each read goes through a
 * Proxy: where the fields are known, {@link readFields} is cheaper.
 *
 * @internal
 */
export function requireRecord(value: unknown, field: string): Readonly<Record<string, unknown>> {
  const record = requireObject(value, field);
  // The Proxy's target is an object of its own, not `value`: the invariant
  // checks a Proxy makes after each read then never call into `value`. It
  // holds what the one shared handler needs, so a reader costs two objects.
  return new Proxy<Reader>({ record, field }, readerHandler) as unknown as Readonly<
    Record<string, unknown>
  >;
}

interface Reader {
  readonly record: object;
  readonly field: string;
}

const readerHandler: ProxyHandler<Reader> = {
  get({ record, field }, key) {
    try {
      return Reflect.get(record, key);
    } catch (cause) {
      throw new ValidationError(field, record, "a readable object", { cause });
    }
  },
};

/**
 * Checks that `value` is an object (not an array), and returns it. Total: a
 * revoked Proxy is refused. Reading its properties may still throw (a getter,
 * a Proxy trap): read them inside try/catch, or through {@link requireRecord}.
 *
 * @internal
 */
export function requireObject(value: unknown, field: string): object {
  let usable = typeof value === "object" && value !== null;
  try {
    usable &&= !Array.isArray(value);
  } catch (cause) {
    // A revoked Proxy, from which nothing can be read.
    throw new ValidationError(field, value, "an object", { cause });
  }
  return ensure(usable, value, field, "an object");
}

/**
 * Checks that `value` is a dense array and returns a copy of it: a hole
 * (`[ , ]`, an index the array does not have) throws a ValidationError naming
 * the element, such as `allocations[1]`, and so does an element whose read
 * throws. Holes are refused, not skipped, because `forEach` and `map` would
 * skip them and a document would lose an entry without an error.
 *
 * @internal
 */
export function requireDenseArray(value: unknown, field: string): readonly unknown[] {
  return attempt(
    () => {
      if (!Array.isArray(value)) throw new ValidationError(field, value, "an array");
      const copy: unknown[] = [];
      for (let index = 0; index < value.length; index++) {
        if (!(index in value)) {
          throw new ValidationError(`${field}[${index}]`, undefined, "an element, not a hole");
        }
        copy.push(value[index]);
      }
      return copy;
    },
    field,
    value,
    "a readable array",
  );
}

/**
 * Checks that `value` is an array: {@link requireDenseArray} under the name
 * the domain has always called.
 *
 * @internal
 */
export const requireArray: (value: unknown, field: string) => readonly unknown[] =
  requireDenseArray;

/**
 * Checks that `value` is iterable, and returns it. Total: a revoked Proxy or a
 * throwing `Symbol.iterator` getter is refused with a ValidationError. It
 * does not iterate; to also guard the iteration, use {@link requireItems}.
 *
 * @internal
 */
export function requireIterable<T>(
  value: Iterable<T>,
  field: string,
  expected: string,
): Iterable<T> {
  const iterable = attempt(
    () => value != null && typeof value[Symbol.iterator] === "function",
    field,
    value,
    expected,
  );
  return ensure(iterable, value, field, expected);
}

/**
 * Checks that `value` is iterable and returns its items as a fresh array. An
 * iteration that throws (a throwing `next` or `done`, a Proxy revoked during
 * it) becomes a ValidationError naming `field`, with what was thrown as its
 * `cause`; an error of this package thrown while iterating, such as a
 * ValidationError raised by a generator building the items, passes unchanged.
 *
 * Iterate what it returns, never `value` again: a generator runs only once.
 *
 * @internal
 */
export function requireItems<T>(value: Iterable<T>, field: string, expected: string): readonly T[] {
  return attempt(() => Array.from(requireIterable(value, field, expected)), field, value, expected);
}

/**
 * Checks that `value` carries the private brand of a class, for callers
 * without types: `isBranded` is a total check written inside the class, such
 * as `typeof value === "object" && value !== null && #field in value`. A brand
 * check calls no Proxy trap and reads nothing, and it refuses a Proxy of an
 * instance (as Vue's `reactive()` or MobX's `observable()` make), whose
 * methods would otherwise throw "Cannot read private member", and an instance
 * of another copy of the package.
 *
 * @internal
 */
export function requireBranded<T>(
  value: unknown,
  field: string,
  expected: string,
  isBranded: (candidate: unknown) => boolean,
): T {
  return ensure(isBranded(value), value, field, expected);
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
    const cause = "cause" in error ? { cause: error.cause } : undefined;
    throw new ValidationError(field, error.value, error.expected, cause);
  }
}
