import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when an operation names a batch reference that does not exist.
 *
 * @example
 * ```ts
 * import { Product, UnknownBatch } from "cosmic-allocation";
 *
 * try {
 *   new Product("LAMP").changeBatchQuantity("batch-404", 10);
 * } catch (error) {
 *   if (UnknownBatch.is(error)) console.log(error.reference); // "batch-404"
 * }
 * ```
 */
export class UnknownBatch extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "UNKNOWN_BATCH";
  /** The unknown batch reference. */
  readonly reference: string;

  /**
   * @param reference - the unknown batch reference
   */
  constructor(reference: string) {
    super("UnknownBatch", UnknownBatch.code, `Unknown batch ${reference}`);
    this.reference = reference;
  }

  /**
   * Tells whether a value is an {@link UnknownBatch}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an UnknownBatch
   */
  static override is(value: unknown): value is UnknownBatch {
    return codeOf(value) === UnknownBatch.code;
  }
}
