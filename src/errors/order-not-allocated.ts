import { CosmicError, codeOf } from "./cosmic-error";

/**
 * A line of an order that could not be allocated: its sku, the quantity it
 * needs, and the most that any one batch of the sku had available.
 *
 * @example
 * ```ts
 * import type { ShortLine } from "cosmic-allocation";
 *
 * const short: ShortLine = { sku: "LAMP", qty: 5, available: 3 };
 * ```
 */
export interface ShortLine {
  /** The sku of the line. */
  readonly sku: string;
  /** The quantity the line needs. */
  readonly qty: number;
  /** The largest quantity one batch of the sku had available (a line is never split). */
  readonly available: number;
}

/**
 * Thrown when an order cannot be allocated whole: nothing of it was
 * allocated. It lists every line that could not be, and every sku the store
 * does not know.
 *
 * @example
 * ```ts
 * import { InMemoryStore, OrderNotAllocated, services } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 3 }, uow);
 * try {
 *   await services.allocateOrder({ orderid: "o1", lines: [{ sku: "LAMP", qty: 5 }, { sku: "SOFA", qty: 1 }] }, uow);
 * } catch (error) {
 *   if (OrderNotAllocated.is(error)) console.log(error.shortLines, error.unknownSkus); // [{ sku: "LAMP", qty: 5, available: 3 }] ["SOFA"]
 * }
 * ```
 */
export class OrderNotAllocated extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "ORDER_NOT_ALLOCATED";
  /** The order. */
  readonly orderid: string;
  /** The lines no batch could take, in the order given. */
  readonly shortLines: readonly ShortLine[];
  /** The skus of lines that no product has (each an {@link InvalidSku} on its own). */
  readonly unknownSkus: readonly string[];

  /**
   * @param orderid - the order
   * @param shortLines - the lines no batch could take
   * @param unknownSkus - the skus no product has
   */
  constructor(orderid: string, shortLines: readonly ShortLine[], unknownSkus: readonly string[]) {
    const parts = [
      ...shortLines.map(({ sku, qty, available }) => `${sku} needs ${qty}, ${available} available`),
      ...unknownSkus.map((sku) => `Invalid sku ${sku}`),
    ];
    super(
      "OrderNotAllocated",
      OrderNotAllocated.code,
      `Order ${orderid} not allocated: ${parts.join("; ")}`,
    );
    this.orderid = orderid;
    this.shortLines = Object.freeze(shortLines.map((line) => Object.freeze({ ...line })));
    this.unknownSkus = Object.freeze([...unknownSkus]);
  }

  /**
   * Tells whether a value is an {@link OrderNotAllocated}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an OrderNotAllocated
   */
  static override is(value: unknown): value is OrderNotAllocated {
    return codeOf(value) === OrderNotAllocated.code;
  }
}
