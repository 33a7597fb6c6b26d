import type { BatchQuantityChange } from "../domain/product";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import { addBatch } from "./add-batch";
import { allocate } from "./allocate";
import { type AllocatedOrderLine, allocateOrder } from "./allocate-order";
import { changeBatchQuantity } from "./change-batch-quantity";
import type {
  AddBatchCommand,
  AllocateCommand,
  AllocateOrderCommand,
  ChangeBatchQuantityCommand,
  DeallocateCommand,
  DeallocateOrderCommand,
} from "./commands";
import { deallocate } from "./deallocate";
import { deallocateOrder } from "./deallocate-order";
import { serve } from "./serve";
import type { ServiceOptions } from "./service-options";

export type { AllocatedOrderLine } from "./allocate-order";
export type {
  AddBatchCommand,
  AllocateCommand,
  AllocateOrderCommand,
  ChangeBatchQuantityCommand,
  DeallocateCommand,
  DeallocateOrderCommand,
  OrderLineFields,
} from "./commands";
export type { RetryNotice, ServiceOptions } from "./service-options";

/**
 * The service layer (the book's chapters 4 to 9): use cases that take
 * primitives, open a unit of work, call the domain, commit, publish the
 * events, and retry on a {@link ConcurrencyConflict}.
 *
 * A plain object rather than an `export * as` namespace: bundled into one
 * file, a namespace becomes a call that bundlers must keep, with every service
 * in it; an object literal of functions is dropped whole when unused.
 *
 * @example
 * ```ts
 * import { InMemoryStore, services } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10, eta: null }, uow);
 * console.log(await services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, uow)); // "b1"
 * ```
 *
 * @namespace
 */
export const services: {
  /**
   * Adds a batch of stock, creating the sku's product on first use.
   *
   * @param command - `{ ref, sku, qty, eta }`; eta a Date, an ISO 8601 string, or null for warehouse stock
   * @param uow - opens a unit of work; called once per attempt
   * @param options - event publishing and retries
   * @throws {@link ValidationError} for a malformed command, before any unit of work opens
   * @throws {@link DuplicateBatch} when a batch with that reference exists, for any sku
   * @throws {@link ConcurrencyConflict} when every retry lost a race
   *
   * @example
   * ```ts
   * import { InMemoryStore, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore();
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "b1", sku: "CRUNCHY-ARMCHAIR", qty: 100, eta: null }, uow);
   * await services.addBatch({ ref: "b2", sku: "CRUNCHY-ARMCHAIR", qty: 50, eta: "2026-12-01" }, uow);
   * ```
   */
  addBatch(
    command: AddBatchCommand,
    uow: UnitOfWorkFactory,
    options?: ServiceOptions,
  ): Promise<void>;
  /**
   * Allocates an order line to the preferred batch of its sku: warehouse stock
   * first, then the earliest eta. Allocating a line again returns the batch that
   * already holds it.
   *
   * When nothing can take the line the unit of work still commits (nothing in
   * stock changed) so that the `OutOfStock` event is published, and then
   * {@link OutOfStock} is thrown.
   *
   * @param command - `{ orderid, sku, qty }`
   * @param uow - opens a unit of work; called once per attempt
   * @param options - event publishing and retries
   * @returns the reference of the batch that holds the line
   * @throws {@link InvalidSku} when no product exists for the sku ("Invalid sku X")
   * @throws {@link OutOfStock} when no batch can take the line
   * @throws {@link ValidationError} for a malformed command, before any unit of work opens
   * @throws {@link ConcurrencyConflict} when every retry lost a race
   *
   * @example
   * ```ts
   * import { InMemoryStore, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore();
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "batch1", sku: "COMPLICATED-LAMP", qty: 100, eta: null }, uow);
   * const batchref = await services.allocate({ orderid: "o1", sku: "COMPLICATED-LAMP", qty: 10 }, uow);
   * console.log(batchref); // "batch1"
   * ```
   */
  allocate(
    command: AllocateCommand,
    uow: UnitOfWorkFactory,
    options?: ServiceOptions,
  ): Promise<string>;
  /**
   * Sets a batch's purchased quantity. Lines the batch can no longer hold are
   * released, newest first, and allocated again within the product (the book's
   * chapter 9 use case, in one transaction).
   *
   * @param command - `{ ref, qty }`
   * @param uow - opens a unit of work; called once per attempt
   * @param options - event publishing and retries
   * @returns which lines moved to which batch, and which no batch could take
   * @throws {@link UnknownBatch} when no product has a batch with that reference
   * @throws {@link ValidationError} for a malformed command, before any unit of work opens
   * @throws {@link ConcurrencyConflict} when every retry lost a race
   *
   * @example
   * ```ts
   * import { InMemoryStore, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore();
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "warehouse", sku: "LAMP", qty: 10, eta: null }, uow);
   * await services.addBatch({ ref: "ship", sku: "LAMP", qty: 10, eta: "2026-12-01" }, uow);
   * await services.allocate({ orderid: "o1", sku: "LAMP", qty: 6 }, uow);
   * const change = await services.changeBatchQuantity({ ref: "warehouse", qty: 5 }, uow);
   * console.log(change.moved.map(({ line, batchref }) => [line.orderid, batchref])); // [["o1", "ship"]]
   * ```
   */
  changeBatchQuantity(
    command: ChangeBatchQuantityCommand,
    uow: UnitOfWorkFactory,
    options?: ServiceOptions,
  ): Promise<BatchQuantityChange>;
  /**
   * Releases an allocated order line from the batch that holds it.
   *
   * @param command - `{ orderid, sku, qty }`, equal to the line that was allocated
   * @param uow - opens a unit of work; called once per attempt
   * @param options - event publishing and retries
   * @returns the reference of the batch that held the line, or null if none did (nothing changes)
   * @throws {@link InvalidSku} when no product exists for the sku
   * @throws {@link ValidationError} for a malformed command, before any unit of work opens
   * @throws {@link ConcurrencyConflict} when every retry lost a race
   *
   * @example
   * ```ts
   * import { InMemoryStore, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore();
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10, eta: null }, uow);
   * await services.allocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow);
   * console.log(await services.deallocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow)); // "b1"
   * ```
   */
  deallocate(
    command: DeallocateCommand,
    uow: UnitOfWorkFactory,
    options?: ServiceOptions,
  ): Promise<string | null>;
  /**
   * Allocates every line of an order, each by the usual rule, in one unit of
   * work and one commit, or none of them. Repeating it for an order already
   * allocated changes nothing and resolves to the same answer.
   *
   * @param command - `{ orderid, lines: [{ sku, qty }, ...] }`, one line per sku, 1 to 1,000 lines
   * @param uow - opens a unit of work; called once per attempt
   * @param options - event publishing and retries
   * @returns one `{ sku, qty, batchref }` per line, in the order given
   * @throws {@link OrderNotAllocated} listing every line no batch could take and every unknown sku; nothing changed
   * @throws {@link ValidationError} for a malformed command or two lines of one sku, before any unit of work opens
   * @throws {@link ConcurrencyConflict} when every retry lost a race
   *
   * @example
   * ```ts
   * import { InMemoryStore, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore();
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "lamps", sku: "LAMP", qty: 10 }, uow);
   * await services.addBatch({ ref: "sofas", sku: "SOFA", qty: 2 }, uow);
   * const lines = [{ sku: "LAMP", qty: 2 }, { sku: "SOFA", qty: 1 }];
   * const placed = await services.allocateOrder({ orderid: "o1", lines }, uow);
   * console.log(placed.map(({ sku, batchref }) => `${sku}:${batchref}`)); // ["LAMP:lamps", "SOFA:sofas"]
   * ```
   */
  allocateOrder(
    command: AllocateOrderCommand,
    uow: UnitOfWorkFactory,
    options?: ServiceOptions,
  ): Promise<readonly AllocatedOrderLine[]>;
  /**
   * Releases every line of an order in every product, in one commit, with a
   * `Deallocated` event per line. An unknown order changes nothing.
   *
   * @param command - `{ orderid }`
   * @param uow - opens a unit of work; called once per attempt
   * @param options - event publishing and retries
   * @returns the lines released, with the batch each was in; empty for an unknown order
   * @throws {@link ValidationError} for a malformed command, before any unit of work opens
   * @throws {@link ConcurrencyConflict} when every retry lost a race
   *
   * @example
   * ```ts
   * import { InMemoryStore, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore();
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "lamps", sku: "LAMP", qty: 10 }, uow);
   * await services.allocateOrder({ orderid: "o1", lines: [{ sku: "LAMP", qty: 2 }] }, uow);
   * console.log(await services.deallocateOrder({ orderid: "o1" }, uow)); // [{ sku: "LAMP", qty: 2, batchref: "lamps" }]
   * ```
   */
  deallocateOrder(
    command: DeallocateOrderCommand,
    uow: UnitOfWorkFactory,
    options?: ServiceOptions,
  ): Promise<readonly AllocatedOrderLine[]>;
} = {
  addBatch: /* @__PURE__ */ serve(addBatch),
  allocate: /* @__PURE__ */ serve(allocate),
  changeBatchQuantity: /* @__PURE__ */ serve(changeBatchQuantity),
  deallocate: /* @__PURE__ */ serve(deallocate),
  allocateOrder: /* @__PURE__ */ serve(allocateOrder),
  deallocateOrder: /* @__PURE__ */ serve(deallocateOrder),
};
