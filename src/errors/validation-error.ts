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
   */
  constructor(field: string, value: unknown, expected: string) {
    super(
      "ValidationError",
      ValidationError.code,
      `Invalid ${field}: expected ${expected}, got ${describe(value)}`,
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

// Short and safe for any value: no String() of a symbol or a function, no dump of an object.
function describe(value: unknown): string {
  const type = typeof value;
  if (type === "string") return JSON.stringify((value as string).slice(0, 60));
  if (value instanceof Date) return `${Number.isNaN(value.getTime()) ? "an invalid" : "a"} Date`;
  if (type === "object" && value !== null) return Array.isArray(value) ? "an array" : "an object";
  return type === "function" || type === "symbol" ? `a ${type}` : String(value);
}
