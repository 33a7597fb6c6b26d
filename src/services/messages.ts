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
 * One row of a command table: the command's message and what handling it resolves to.
 *
 * @example
 * ```ts
 * import type { CommandEntry } from "cosmic-allocation";
 *
 * type Ping = CommandEntry<{ readonly type: "Ping" }, "pong">;
 * ```
 */
export interface CommandEntry<M extends Message, R> {
  /** The command's message. */
  readonly command: M;
  /** What handling it resolves to. */
  readonly result: R;
}

/**
 * The bus command that adds a batch (the book's `CreateBatch`).
 *
 * @example
 * ```ts
 * import type { CreateBatch } from "cosmic-allocation";
 *
 * const command: CreateBatch = { type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10, eta: null };
 * ```
 */
export interface CreateBatch extends AddBatchCommand {
  /** The command's type. */
  readonly type: "CreateBatch";
}

/**
 * The bus command that allocates one line; resolves to the batch reference.
 *
 * @example
 * ```ts
 * import type { Allocate } from "cosmic-allocation";
 *
 * const command: Allocate = { type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 };
 * ```
 */
export interface Allocate extends AllocateCommand {
  /** The command's type. */
  readonly type: "Allocate";
}

/**
 * The bus command that releases one line.
 *
 * @example
 * ```ts
 * import type { Deallocate } from "cosmic-allocation";
 *
 * const command: Deallocate = { type: "Deallocate", orderid: "o1", sku: "LAMP", qty: 1 };
 * ```
 */
export interface Deallocate extends DeallocateCommand {
  /** The command's type. */
  readonly type: "Deallocate";
}

/**
 * The bus command that changes a batch's purchased quantity.
 *
 * @example
 * ```ts
 * import type { ChangeBatchQuantity } from "cosmic-allocation";
 *
 * const command: ChangeBatchQuantity = { type: "ChangeBatchQuantity", ref: "b1", qty: 5 };
 * ```
 */
export interface ChangeBatchQuantity extends ChangeBatchQuantityCommand {
  /** The command's type. */
  readonly type: "ChangeBatchQuantity";
}

/**
 * The bus command that allocates a whole order, or nothing.
 *
 * @example
 * ```ts
 * import type { AllocateOrder } from "cosmic-allocation";
 *
 * const command: AllocateOrder = { type: "AllocateOrder", orderid: "o1", lines: [{ sku: "LAMP", qty: 1 }] };
 * ```
 */
export interface AllocateOrder extends AllocateOrderCommand {
  /** The command's type. */
  readonly type: "AllocateOrder";
}

/**
 * The bus command that releases every line of an order.
 *
 * @example
 * ```ts
 * import type { DeallocateOrder } from "cosmic-allocation";
 *
 * const command: DeallocateOrder = { type: "DeallocateOrder", orderid: "o1" };
 * ```
 */
export interface DeallocateOrder extends DeallocateOrderCommand {
  /** The command's type. */
  readonly type: "DeallocateOrder";
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
  readonly CreateBatch: CommandEntry<CreateBatch, undefined>;
  /** Allocates one line; resolves to the batch reference. */
  readonly Allocate: CommandEntry<Allocate, string>;
  /** Releases one line; resolves to the batch that held it, or null. */
  readonly Deallocate: CommandEntry<Deallocate, string | null>;
  /** Changes a batch's purchased quantity. */
  readonly ChangeBatchQuantity: CommandEntry<ChangeBatchQuantity, BatchQuantityChange>;
  /** Allocates a whole order or nothing. */
  readonly AllocateOrder: CommandEntry<AllocateOrder, readonly AllocatedOrderLine[]>;
  /** Releases every line of an order. */
  readonly DeallocateOrder: CommandEntry<DeallocateOrder, readonly AllocatedOrderLine[]>;
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
 * import type { CommandEntry, CommandTable } from "cosmic-allocation";
 *
 * interface Mine extends CommandTable {
 *   readonly Restock: CommandEntry<{ readonly type: "Restock"; readonly sku: string }, number>;
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
 *
 * @example
 * ```ts
 * import type { CommandMessage, StandardCommands } from "cosmic-allocation";
 *
 * const command: CommandMessage<StandardCommands> = { type: "DeallocateOrder", orderid: "o1" };
 * ```
 */
export type CommandMessage<C> = {
  readonly [K in keyof C]: C[K] extends CommandEntry<infer M, unknown> ? M : never;
}[keyof C];

/**
 * The union of the event messages of an {@link EventTable}.
 *
 * @example
 * ```ts
 * import type { EventMessage, StandardEvents } from "cosmic-allocation";
 *
 * const event: EventMessage<StandardEvents> = { type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 2 };
 * ```
 */
export type EventMessage<E> = E[keyof E];
