/**
 * The property every error of this package carries, keyed by a registered
 * symbol so that `is()` guards recognise errors thrown by another copy of the
 * package (its ESM and CJS builds loaded side by side, or two versions).
 */
const CODE: unique symbol = Symbol.for("cosmic-allocation.error-code");

/**
 * The base class of every error this package throws.
 *
 * Each subclass has a stable {@link CosmicError.code | code} and a static `is()`
 * guard; catch and branch on those rather than on `instanceof`, which fails
 * when two copies of the package are loaded.
 *
 * @example
 * ```ts
 * import { CosmicError, OrderLine } from "cosmic-allocation";
 *
 * try {
 *   new OrderLine("order-1", "RED-CHAIR", 0);
 * } catch (error) {
 *   if (CosmicError.is(error)) console.log(error.code); // "VALIDATION_ERROR"
 * }
 * ```
 */
export abstract class CosmicError extends Error {
  /** A stable, machine-readable identifier of the rule that failed. */
  readonly code: string;

  /**
   * @param name - the class name, passed explicitly so that minifiers cannot change it
   * @param code - the stable code of the rule that failed
   * @param message - a sentence that starts with what failed
   * @param options - `cause`: what was thrown that this error reports, such as the error of a throwing getter
   */
  protected constructor(name: string, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
    this.code = code;
    Object.defineProperty(this, CODE, { value: code, enumerable: false });
  }

  /**
   * Tells whether a value is an error thrown by this package, by any copy of it.
   *
   * @param value - anything, typically what a `catch` clause received
   * @returns true for every error of this package
   */
  static is(value: unknown): value is CosmicError {
    return codeOf(value) !== undefined;
  }
}

/**
 * Reads the package's error code from any value, or undefined if it is not one of ours.
 *
 * @internal
 */
export function codeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  try {
    const code: unknown = (value as { readonly [CODE]?: unknown })[CODE];
    return typeof code === "string" ? code : undefined;
  } catch {
    // A revoked Proxy, or a getter that throws: not an error of this package.
    return undefined;
  }
}
