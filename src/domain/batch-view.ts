import type { Batch, BatchJSON } from "./batch";
import type { OrderLine } from "./order-line";

/**
 * A read-only look at one batch of a {@link Product}: what
 * `product.batches` and `product.getBatch()` hand out. It has no way to change
 * the stock, in its type or at runtime: only the product's own methods do
 * that, so no change can go around the aggregate and be lost on commit.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, Product, type BatchView } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
 * product.allocate(new OrderLine("o1", "LAMP", 4));
 * const view: BatchView | undefined = product.getBatch("b1");
 * console.log(view?.availableQuantity, "allocate" in (view ?? {})); // 6 false
 * ```
 */
export interface BatchView {
  /** The batch's unique reference. */
  readonly reference: string;
  /** The sku the batch holds. */
  readonly sku: string;
  /** When the batch arrives; null when it is in the warehouse. A copy: changing it changes nothing. */
  readonly eta: Date | null;
  /** The quantity bought. */
  readonly purchasedQuantity: number;
  /** The sum of the allocated lines' quantities. */
  readonly allocatedQuantity: number;
  /** Purchased less allocated. */
  readonly availableQuantity: number;
  /** The allocated order lines, oldest first, as a fresh array. */
  readonly allocations: readonly OrderLine[];
  /**
   * Whether the batch could take a line now: same sku, enough available, not held yet.
   *
   * @param line - an order line
   */
  canAllocate(line: OrderLine): boolean;
  /**
   * Whether the batch holds a line equal to `line`.
   *
   * @param line - an order line
   */
  isAllocated(line: OrderLine): boolean;
  /**
   * Entity equality: the same reference.
   *
   * @param other - another batch or view
   */
  equals(other: { readonly reference: string }): boolean;
  /** The batch as plain JSON data. */
  toJSON(): BatchJSON;
}

/**
 * Builds the read-only view of a batch that a {@link Product} owns. The view
 * reads the live batch (it is never stale) but holds it in a private field, so
 * nothing reachable from the view can change it.
 *
 * @internal
 */
export function viewOf(batch: Batch): BatchView {
  return new ReadonlyBatch(batch);
}

class ReadonlyBatch implements BatchView {
  readonly #batch: Batch;

  constructor(batch: Batch) {
    this.#batch = batch;
    Object.freeze(this);
  }

  get reference(): string {
    return this.#batch.reference;
  }

  get sku(): string {
    return this.#batch.sku;
  }

  get eta(): Date | null {
    return this.#batch.eta;
  }

  get purchasedQuantity(): number {
    return this.#batch.purchasedQuantity;
  }

  get allocatedQuantity(): number {
    return this.#batch.allocatedQuantity;
  }

  get availableQuantity(): number {
    return this.#batch.availableQuantity;
  }

  get allocations(): readonly OrderLine[] {
    return this.#batch.allocations;
  }

  canAllocate(line: OrderLine): boolean {
    return this.#batch.canAllocate(line);
  }

  isAllocated(line: OrderLine): boolean {
    return this.#batch.isAllocated(line);
  }

  equals(other: { readonly reference: string }): boolean {
    return this.#batch.equals(other);
  }

  toJSON(): BatchJSON {
    return this.#batch.toJSON();
  }
}
