import type { AllocatedEvent, DeallocatedEvent, OutOfStockEvent } from "../domain/events";
import type { BatchQuantityChange } from "../domain/product";
import type { AllocatedOrderLine } from "./allocate-order";
import type {
  AddBatchCommand,
  AllocateCommand,
  AllocateOrderCommand,
  ChangeBatchQuantityCommand,
  DeallocateCommand,
  DeallocateOrderCommand,
} from "./commands";

/**
 * Any message a bus carries: a plain object with a `type`.
 *
 * @example
 * ```ts
 * import type { Message } from "cosmic-allocation";
 *
 * const allocate = { type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 };
 * const message: Message = allocate; // any object with a string type is a message
 * console.log(message.type); // "Allocate"
 * ```
 */
export interface Message {
  /** What kind of command or event it is. */
  readonly type: string;
}

/**
 * The commands every bus handles, by type: the message and what handling it resolves to.
 *
 * @example
 * ```ts
 * import type { StandardCommands } from "cosmic-allocation";
 *
 * type AllocateResult = StandardCommands["Allocate"]["result"]; // string: the batch reference
 * ```
 */
export interface StandardCommands {
  /** Adds a batch (the book's `CreateBatch`). */
  readonly CreateBatch: {
    readonly command: AddBatchCommand & { readonly type: "CreateBatch" };
    readonly result: void;
  };
  /** Allocates one line; resolves to the batch reference. */
  readonly Allocate: {
    readonly command: AllocateCommand & { readonly type: "Allocate" };
    readonly result: string;
  };
  /** Releases one line; resolves to the batch that held it, or null. */
  readonly Deallocate: {
    readonly command: DeallocateCommand & { readonly type: "Deallocate" };
    readonly result: string | null;
  };
  /** Changes a batch's purchased quantity. */
  readonly ChangeBatchQuantity: {
    readonly command: ChangeBatchQuantityCommand & { readonly type: "ChangeBatchQuantity" };
    readonly result: BatchQuantityChange;
  };
  /** Allocates a whole order or nothing. */
  readonly AllocateOrder: {
    readonly command: AllocateOrderCommand & { readonly type: "AllocateOrder" };
    readonly result: readonly AllocatedOrderLine[];
  };
  /** Releases every line of an order. */
  readonly DeallocateOrder: {
    readonly command: DeallocateOrderCommand & { readonly type: "DeallocateOrder" };
    readonly result: readonly AllocatedOrderLine[];
  };
}

/**
 * The events the domain records, by type.
 *
 * @example
 * ```ts
 * import type { StandardEvents } from "cosmic-allocation";
 *
 * const event: StandardEvents["OutOfStock"] = { type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 3 };
 * ```
 */
export interface StandardEvents {
  /** A line was allocated to a batch. */
  readonly Allocated: AllocatedEvent;
  /** A line was released from a batch. */
  readonly Deallocated: DeallocatedEvent;
  /** No batch could take a line. */
  readonly OutOfStock: OutOfStockEvent;
}

/**
 * A table of commands: for each type, `{ command, result }`: the message and
 * the result of handling it (see {@link StandardCommands}).
 *
 * @example
 * ```ts
 * import type { CommandTable } from "cosmic-allocation";
 *
 * interface Mine extends CommandTable {
 *   readonly Restock: { readonly command: { readonly type: "Restock"; readonly sku: string }; readonly result: number };
 * }
 * ```
 */
export type CommandTable = object;

/**
 * A table of events: for each type, the event message (see {@link StandardEvents}).
 *
 * @example
 * ```ts
 * import type { EventTable } from "cosmic-allocation";
 *
 * interface Mine extends EventTable {
 *   readonly Restocked: { readonly type: "Restocked"; readonly sku: string };
 * }
 * ```
 */
export type EventTable = object;

/**
 * The union of the command messages of a {@link CommandTable}.
 */
export type CommandMessage<C> = {
  readonly [K in keyof C]: C[K] extends { readonly command: infer M } ? M : never;
}[keyof C];

/**
 * The union of the event messages of an {@link EventTable}.
 */
export type EventMessage<E> = E[keyof E];
