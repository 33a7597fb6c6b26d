import type { OrderLine } from "./order-line";

/**
 * Recorded when a {@link Product} allocates an order line to one of its batches.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, Product, type AllocatedEvent } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
 * product.allocate(new OrderLine("o1", "LAMP", 4));
 * const allocated = product.events.filter((event): event is AllocatedEvent => event.type === "Allocated");
 * console.log(allocated.map((event) => event.batchref)); // ["b1"]
 * ```
 */
export interface AllocatedEvent {
  /** The kind of event. */
  readonly type: "Allocated";
  /** The order of the line. */
  readonly orderid: string;
  /** The sku of the line and the product. */
  readonly sku: string;
  /** The quantity of the line. */
  readonly qty: number;
  /** The reference of the batch that now holds the line. */
  readonly batchref: string;
}

/**
 * Recorded when a {@link Product} releases an order line from one of its batches.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, Product, type DeallocatedEvent } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
 * const line = new OrderLine("o1", "LAMP", 4);
 * product.allocate(line);
 * product.deallocate(line);
 * const released = product.events.find((event): event is DeallocatedEvent => event.type === "Deallocated");
 * console.log(released); // { type: "Deallocated", orderid: "o1", sku: "LAMP", qty: 4, batchref: "b1" }
 * ```
 */
export interface DeallocatedEvent {
  /** The kind of event. */
  readonly type: "Deallocated";
  /** The order of the line. */
  readonly orderid: string;
  /** The sku of the line and the product. */
  readonly sku: string;
  /** The quantity of the line. */
  readonly qty: number;
  /** The reference of the batch that held the line. */
  readonly batchref: string;
}

/**
 * Recorded when a {@link Product} has no batch that can take an order line.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, OutOfStock, Product, type OutOfStockEvent } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("b1", "LAMP", 2)]);
 * try {
 *   product.allocate(new OrderLine("o1", "LAMP", 4));
 * } catch (error) {
 *   if (!OutOfStock.is(error)) throw error;
 * }
 * const missed = product.events.filter((event): event is OutOfStockEvent => event.type === "OutOfStock");
 * console.log(missed); // [{ type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 4 }]
 * ```
 */
export interface OutOfStockEvent {
  /** The kind of event. */
  readonly type: "OutOfStock";
  /** The order of the line that could not be allocated. */
  readonly orderid: string;
  /** The sku that is out of stock. */
  readonly sku: string;
  /** The quantity of the line that could not be allocated. */
  readonly qty: number;
}

/**
 * Every event a {@link Product} records, told apart by `type`. Events are
 * plain frozen objects, ready for `JSON.stringify` and a message bus.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, Product, type DomainEvent } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
 * product.allocate(new OrderLine("o1", "LAMP", 4));
 * const events: readonly DomainEvent[] = product.events;
 * console.log(events[0]); // { type: "Allocated", orderid: "o1", sku: "LAMP", qty: 4, batchref: "b1" }
 * ```
 */
export type DomainEvent = AllocatedEvent | DeallocatedEvent | OutOfStockEvent;

/** @internal */
export function allocated(line: OrderLine, batchref: string): AllocatedEvent {
  const { orderid, sku, qty } = line;
  return Object.freeze({ type: "Allocated", orderid, sku, qty, batchref });
}

/** @internal */
export function deallocated(line: OrderLine, batchref: string): DeallocatedEvent {
  const { orderid, sku, qty } = line;
  return Object.freeze({ type: "Deallocated", orderid, sku, qty, batchref });
}

/** @internal */
export function outOfStock(line: OrderLine): OutOfStockEvent {
  const { orderid, sku, qty } = line;
  return Object.freeze({ type: "OutOfStock", orderid, sku, qty });
}
