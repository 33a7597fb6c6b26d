import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when a batch is added where a batch with the same reference already exists.
 *
 * @example
 * ```ts
 * import { Batch, DuplicateBatch, Product } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("batch-001", "LAMP", 10)]);
 * try {
 *   product.addBatch(new Batch("batch-001", "LAMP", 5));
 * } catch (error) {
 *   if (DuplicateBatch.is(error)) console.log(error.reference); // "batch-001"
 * }
 * ```
 */
export class DuplicateBatch extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "DUPLICATE_BATCH";
  /** The duplicated batch reference. */
  readonly reference: string;

  /**
   * @param reference - the duplicated batch reference
   */
  constructor(reference: string) {
    super("DuplicateBatch", DuplicateBatch.code, `Duplicate batch ${reference}`);
    this.reference = reference;
  }

  /**
   * Tells whether a value is a {@link DuplicateBatch}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a DuplicateBatch
   */
  static override is(value: unknown): value is DuplicateBatch {
    return codeOf(value) === DuplicateBatch.code;
  }
}
