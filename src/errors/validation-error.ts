import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when an argument, a command field or a JSON document is not valid.
 * Nothing has changed when it is thrown.
 *
 * @example
 * ```ts
 * import { OrderLine, ValidationError } from "cosmic-allocation";
 *
 * try {
 *   new OrderLine("order-1", "RED-CHAIR", 1.5);
 * } catch (error) {
 *   if (ValidationError.is(error)) console.log(error.field); // "qty"
 * }
 * ```
 */
export class ValidationError extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "VALIDATION_ERROR";
  /** The name of the invalid field or argument, as a path for nested input (`batches[0].qty`). */
  readonly field: string;
  /** The offending value, as it was received. */
  readonly value: unknown;
  /** What the field must be, e.g. "a positive safe integer". */
  readonly expected: string;

  /**
   * @param field - the name or path of the invalid field
   * @param value - the offending value
   * @param expected - what the field must be, e.g. "a positive safe integer"
   * @param options - `cause`: what reading the value threw, when it could not be read
   */
  constructor(field: string, value: unknown, expected: string, options?: ErrorOptions) {
    super(
      "ValidationError",
      ValidationError.code,
      `Invalid ${field}: expected ${expected}, got ${describe(value)}`,
      options,
    );
    this.field = field;
    this.value = value;
    this.expected = expected;
  }

  /**
   * Tells whether a value is a {@link ValidationError}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a ValidationError
   */
  static override is(value: unknown): value is ValidationError {
    return codeOf(value) === ValidationError.code;
  }
}

// Read at load, so that a later change to Date.prototype cannot reach it.
const { getTime } = Date.prototype;

/**
 * Reads the time of a real Date, of any realm (an iframe, `node:vm`) and of any
 * subclass, from its internal slot: an overridden `getTime` is never called.
 * Here rather than in the domain's guards because {@link ValidationError}
 * describes dates with it, and the guards import this module.
 *
 * @returns the epoch milliseconds (NaN for an invalid Date), or undefined when
 *   `value` is not a Date: a Proxy of one, `Object.create(Date.prototype)`, a
 *   look-alike object, or no object at all
 * @internal
 */
export function dateTimeOf(value: unknown): number | undefined {
  try {
    return getTime.call(value as Date);
  } catch {
    return undefined;
  }
}

// Short and safe for any value: no String() of a symbol, a function or an
// object, no dump of an object, and total: the value may be a revoked Proxy
// (where Array.isArray throws) or a fake Date (whose getTime may lie or throw).
function describe(value: unknown): string {
  const type = typeof value; // typeof never throws, not even on a revoked Proxy
  if (type === "string") return JSON.stringify((value as string).slice(0, 60));
  if (type === "function" || type === "symbol") return `a ${type}`;
  if (type !== "object" || value === null) return String(value);
  const time = dateTimeOf(value);
  if (time !== undefined) return `${Number.isNaN(time) ? "an invalid" : "a"} Date`;
  try {
    return Array.isArray(value) ? "an array" : "an object";
  } catch {
    return "a revoked Proxy";
  }
}
