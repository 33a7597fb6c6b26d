/**
 * The service layer (the book's chapters 4 to 9): use cases that take
 * primitives, open a unit of work, call the domain, commit, publish the
 * events, and retry on a {@link ConcurrencyConflict}.
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
 * @module
 */
export { addBatch } from "./add-batch";
export { allocate } from "./allocate";
export { changeBatchQuantity } from "./change-batch-quantity";
export type {
  AddBatchCommand,
  AllocateCommand,
  ChangeBatchQuantityCommand,
  DeallocateCommand,
} from "./commands";
export { deallocate } from "./deallocate";
export type { RetryNotice, ServiceOptions } from "./service-options";
