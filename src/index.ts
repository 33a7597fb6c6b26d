/**
 * The allocation domain of *Architecture Patterns with Python* ("Cosmic Python")
 * in TypeScript: order lines, batches, the `allocate` domain service, the
 * `Product` aggregate, unit-of-work ports with an in-memory adapter, and a
 * service layer. The directory-sync planner is its own entry,
 * `cosmic-allocation/sync`.
 *
 * This entry is dependency-free and browser-safe: it uses no Node built-ins.
 *
 * @packageDocumentation
 * @module cosmic-allocation
 */

export { InMemoryStore } from "./adapters/in-memory-store";
export { allocate } from "./domain/allocate";
export { Batch, type BatchJSON } from "./domain/batch";
export type {
  AllocatedEvent,
  DeallocatedEvent,
  DomainEvent,
  OutOfStockEvent,
} from "./domain/events";
export { OrderLine, type OrderLineJSON } from "./domain/order-line";
export {
  type AllocationPlan,
  type PlannedAllocation,
  planAllocations,
} from "./domain/plan-allocations";
export {
  type BatchQuantityChange,
  type LineAllocation,
  Product,
  type ProductJSON,
} from "./domain/product";
export { ConcurrencyConflict } from "./errors/concurrency-conflict";
export { CosmicError } from "./errors/cosmic-error";
export { DuplicateBatch } from "./errors/duplicate-batch";
export { DuplicateProduct } from "./errors/duplicate-product";
export { InsufficientStock } from "./errors/insufficient-stock";
export { InvalidSku } from "./errors/invalid-sku";
export { OutOfStock } from "./errors/out-of-stock";
export { SkuMismatch } from "./errors/sku-mismatch";
export { UnitOfWorkClosed } from "./errors/unit-of-work-closed";
export { UnknownBatch } from "./errors/unknown-batch";
export { ValidationError } from "./errors/validation-error";
export type { ProductRepository } from "./ports/product-repository";
export type { UnitOfWork, UnitOfWorkFactory } from "./ports/unit-of-work";
export type {
  AddBatchCommand,
  AllocateCommand,
  ChangeBatchQuantityCommand,
  DeallocateCommand,
  RetryNotice,
  ServiceOptions,
} from "./services/index";
export { services } from "./services/index";
