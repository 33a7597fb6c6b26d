import { addBatch } from "./add-batch";
import { allocate } from "./allocate";
import { changeBatchQuantity } from "./change-batch-quantity";
import { deallocate } from "./deallocate";

export type {
  AddBatchCommand,
  AllocateCommand,
  ChangeBatchQuantityCommand,
  DeallocateCommand,
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
  readonly addBatch: typeof addBatch;
  readonly allocate: typeof allocate;
  readonly changeBatchQuantity: typeof changeBatchQuantity;
  readonly deallocate: typeof deallocate;
} = { addBatch, allocate, changeBatchQuantity, deallocate };
