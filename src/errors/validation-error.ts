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

function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return String(value);
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
  }
  if (value === null) return "null";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : "a Date";
  if (Array.isArray(value)) return "an array";
  const name: unknown = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === "string" && name !== "Object" && name !== "" ? `a ${name}` : "an object";
}
