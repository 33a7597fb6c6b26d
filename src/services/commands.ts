/**
 * The command to add a batch of stock, in the book's field names.
 *
 * @example
 * ```ts
 * import { InMemoryStore, services, type AddBatchCommand } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const command: AddBatchCommand = { ref: "b1", sku: "LAMP", qty: 10, eta: "2026-12-01" };
 * await services.addBatch(command, () => store.unitOfWork());
 * await using uow = store.unitOfWork();
 * console.log((await uow.products.get("LAMP"))?.getBatch("b1")?.eta?.toISOString()); // "2026-12-01T00:00:00.000Z"
 * ```
 */
export interface AddBatchCommand {
  /** The batch's unique reference. */
  readonly ref: string;
  /** The sku it holds. */
  readonly sku: string;
  /** The purchased quantity: a non-negative safe integer. */
  readonly qty: number;
  /** When it arrives: a Date or an ISO 8601 string; null or omitted when it is in the warehouse. */
  readonly eta?: Date | string | null;
}

/**
 * The command to allocate an order line.
 *
 * @example
 * ```ts
 * import { InMemoryStore, services, type AllocateCommand } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, uow);
 * const command: AllocateCommand = { orderid: "o1", sku: "LAMP", qty: 2 };
 * console.log(await services.allocate(command, uow)); // "b1"
 * ```
 */
export interface AllocateCommand {
  /** The order the line belongs to. */
  readonly orderid: string;
  /** The sku ordered. */
  readonly sku: string;
  /** How many units: a positive safe integer. */
  readonly qty: number;
}

/**
 * The command to release an allocated order line.
 *
 * @example
 * ```ts
 * import { InMemoryStore, services, type DeallocateCommand } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, uow);
 * const line = { orderid: "o1", sku: "LAMP", qty: 4 } satisfies DeallocateCommand;
 * await services.allocate(line, uow);
 * console.log(await services.deallocate(line, uow), await services.deallocate(line, uow)); // "b1" null
 * ```
 */
export interface DeallocateCommand {
  /** The order the line belongs to. */
  readonly orderid: string;
  /** The sku ordered. */
  readonly sku: string;
  /** How many units: a positive safe integer. */
  readonly qty: number;
}

/**
 * The command to change a batch's purchased quantity.
 *
 * @example
 * ```ts
 * import { InMemoryStore, services, type ChangeBatchQuantityCommand } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, uow);
 * const command: ChangeBatchQuantityCommand = { ref: "b1", qty: 12 };
 * console.log(await services.changeBatchQuantity(command, uow)); // { reference: "b1", moved: [], unallocated: [] }
 * ```
 */
export interface ChangeBatchQuantityCommand {
  /** The batch's reference. */
  readonly ref: string;
  /** The new purchased quantity: a non-negative safe integer. */
  readonly qty: number;
}

/**
 * The command to allocate a whole order, all of it or nothing.
 *
 * @example
 * ```ts
 * import type { AllocateOrderCommand } from "cosmic-allocation";
 *
 * const command: AllocateOrderCommand = {
 *   orderid: "o1",
 *   lines: [{ sku: "LAMP", qty: 2 }, { sku: "SOFA", qty: 1 }],
 * };
 * ```
 */
export interface AllocateOrderCommand {
  /** The order's id. */
  readonly orderid: string;
  /** Its lines, one per sku: 1 to 1,000 of them. */
  readonly lines: readonly OrderLineFields[];
}

/**
 * One line of an {@link AllocateOrderCommand}: the order id is the command's.
 *
 * @example
 * ```ts
 * import type { OrderLineFields } from "cosmic-allocation";
 *
 * const line: OrderLineFields = { sku: "LAMP", qty: 2 };
 * ```
 */
export interface OrderLineFields {
  /** The sku. */
  readonly sku: string;
  /** The quantity: a positive safe integer. */
  readonly qty: number;
}

/**
 * The command to release every line of an order.
 *
 * @example
 * ```ts
 * import type { DeallocateOrderCommand } from "cosmic-allocation";
 *
 * const command: DeallocateOrderCommand = { orderid: "o1" };
 * ```
 */
export interface DeallocateOrderCommand {
  /** The order's id. */
  readonly orderid: string;
}
