import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when no batch can take an order line: every batch of its sku has less available than the line's quantity, or there is no batch of that sku at all.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, OutOfStock, allocate } from "cosmic-allocation";
 *
 * const batch = new Batch("batch-001", "SMALL-FORK", 10);
 * try {
 *   allocate(new OrderLine("order-1", "SMALL-FORK", 11), [batch]);
 * } catch (error) {
 *   if (OutOfStock.is(error)) console.log(error.message); // "Out of stock for sku SMALL-FORK"
 * }
 * ```
 */
export class OutOfStock extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "OUT_OF_STOCK";
  /** The sku that is out of stock. */
  readonly sku: string;

  /**
   * @param sku - the sku that is out of stock
   */
  constructor(sku: string) {
    super("OutOfStock", OutOfStock.code, `Out of stock for sku ${sku}`);
    this.sku = sku;
  }

  /**
   * Tells whether a value is an {@link OutOfStock}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an OutOfStock
   */
  static override is(value: unknown): value is OutOfStock {
    return codeOf(value) === OutOfStock.code;
  }
}
