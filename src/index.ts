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

export type { OrderLineAllocation } from "./adapters/allocations-view";
export { InMemoryStore, type InMemoryStoreOptions } from "./adapters/in-memory-store";
export { allocate } from "./domain/allocate";
export { Batch, type BatchJSON } from "./domain/batch";
export type { BatchView } from "./domain/batch-view";
export type {
  AllocatedEvent,
  DeallocatedEvent,
  DomainEvent,
  OutOfStockEvent,
} from "./domain/events";
export { OrderLine, type OrderLineJSON } from "./domain/order-line";
export {
  type AllocationPlan,
  type OrderAllocationPlan,
  type OrderPlan,
  type PlannedAllocation,
  type PlanOptions,
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
export { DeliveryFailed } from "./errors/delivery-failed";
export { DuplicateBatch } from "./errors/duplicate-batch";
export { DuplicateProduct } from "./errors/duplicate-product";
export { InsufficientStock } from "./errors/insufficient-stock";
export { InvalidSku } from "./errors/invalid-sku";
export { OrderNotAllocated, type ShortLine } from "./errors/order-not-allocated";
export { OutOfStock } from "./errors/out-of-stock";
export { SkuMismatch } from "./errors/sku-mismatch";
export { UnitOfWorkClosed } from "./errors/unit-of-work-closed";
export { UnknownBatch } from "./errors/unknown-batch";
export { UnknownMessage } from "./errors/unknown-message";
export { ValidationError } from "./errors/validation-error";
export type { OutboxEntry, RelayOptions } from "./ports/outbox";
export type { ProductRepository } from "./ports/product-repository";
export type {
  CommitPlan,
  ProductChanges,
  ProductStorage,
  QuantityChange,
} from "./ports/product-storage";
export { trackUnitOfWork } from "./ports/track-unit-of-work";
export type { UnitOfWork, UnitOfWorkFactory } from "./ports/unit-of-work";
export type {
  AddBatchCommand,
  AllocateCommand,
  AllocatedOrderLine,
  AllocateOrderCommand,
  ChangeBatchQuantityCommand,
  DeallocateCommand,
  DeallocateOrderCommand,
  OrderLineFields,
  RetryNotice,
  ServiceOptions,
} from "./services/index";
export { services } from "./services/index";
export {
  type CommandContext,
  type CommandDefinition,
  type CommandsOf,
  createMessageBus,
  defineCommand,
  defineEvent,
  type EventContext,
  type EventDefinition,
  type EventsOf,
  type MessageBus,
  type MessageBusOptions,
  type ResultOf,
  type ResultOfMessage,
} from "./services/message-bus";
export type {
  Allocate,
  AllocateOrder,
  ChangeBatchQuantity,
  CommandEntry,
  CommandMessage,
  CommandTable,
  CreateBatch,
  Deallocate,
  DeallocateOrder,
  EventMessage,
  EventTable,
  Message,
  StandardCommands,
  StandardEvents,
} from "./services/messages";
