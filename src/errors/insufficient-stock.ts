import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when an order line is allocated directly to a batch that has less available than the line's quantity. The batch is unchanged.
 *
 * @example
 * ```ts
 * import { Batch, InsufficientStock, OrderLine } from "cosmic-allocation";
 *
 * try {
 *   new Batch("batch-001", "SMALL-TABLE", 2).allocate(new OrderLine("o1", "SMALL-TABLE", 20));
 * } catch (error) {
 *   if (InsufficientStock.is(error)) console.log(error.available); // 2
 * }
 * ```
 */
export class InsufficientStock extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "INSUFFICIENT_STOCK";
  /** The reference of the batch. */
  readonly reference: string;
  /** The quantity of the order line. */
  readonly requested: number;
  /** What the batch had available. */
  readonly available: number;

  /**
   * @param reference - the reference of the batch
   * @param requested - the quantity of the order line
   * @param available - what the batch had available
   */
  constructor(reference: string, requested: number, available: number) {
    super(
      "InsufficientStock",
      InsufficientStock.code,
      `Insufficient stock in batch ${reference}: requested ${requested}, available ${available}`,
    );
    this.reference = reference;
    this.requested = requested;
    this.available = available;
  }

  /**
   * Tells whether a value is an {@link InsufficientStock}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an InsufficientStock
   */
  static override is(value: unknown): value is InsufficientStock {
    return codeOf(value) === InsufficientStock.code;
  }
}
