import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when an order line or a batch is given to a batch or product of another sku.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, SkuMismatch } from "cosmic-allocation";
 *
 * try {
 *   new Batch("batch-001", "UNCOMFORTABLE-CHAIR", 100).allocate(new OrderLine("o1", "EXPENSIVE-TOASTER", 10));
 * } catch (error) {
 *   if (SkuMismatch.is(error)) console.log(error.expected, error.actual); // "UNCOMFORTABLE-CHAIR" "EXPENSIVE-TOASTER"
 * }
 * ```
 */
export class SkuMismatch extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "SKU_MISMATCH";
  /** The sku of the batch or product that received it. */
  readonly expected: string;
  /** The sku it was given. */
  readonly actual: string;

  /**
   * @param expected - the sku of the batch or product that received it
   * @param actual - the sku it was given
   */
  constructor(expected: string, actual: string) {
    super(
      "SkuMismatch",
      SkuMismatch.code,
      `Sku mismatch: expected sku ${expected}, got sku ${actual}`,
    );
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * Tells whether a value is a {@link SkuMismatch}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a SkuMismatch
   */
  static override is(value: unknown): value is SkuMismatch {
    return codeOf(value) === SkuMismatch.code;
  }
}
