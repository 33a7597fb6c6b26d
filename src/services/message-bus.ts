import type { DomainEvent } from "../domain/events";
import { requirePositiveQuantity, requireRecord, requireText } from "../domain/validate";
import { DeliveryFailed } from "../errors/delivery-failed";
import { UnknownMessage } from "../errors/unknown-message";
import { ValidationError } from "../errors/validation-error";
import type { OutboxEntry } from "../ports/outbox";
import type { UnitOfWork, UnitOfWorkFactory } from "../ports/unit-of-work";
import { addBatch } from "./add-batch";
import { allocate } from "./allocate";
import { allocateOrder } from "./allocate-order";
import { changeBatchQuantity } from "./change-batch-quantity";
import { deallocate } from "./deallocate";
import { deallocateOrder } from "./deallocate-order";
import type {
  CommandEntry,
  CommandMessage,
  CommandTable,
  EventMessage,
  EventTable,
  Message,
  StandardCommands,
  StandardEvents,
} from "./messages";
import {
  readRetryPolicy,
  requireFactory,
  requireOptionalFunction,
  runInUnitOfWork,
} from "./run-in-unit-of-work";
import type { RetryNotice } from "./service-options";
import type { UseCase } from "./use-case";

/**
 * What a command handler of your own is given: the unit of work the bus
 * opened for it (committed by the bus when the handler returns), and `raise`
 * for events of your own, handled after that commit.
 *
 * @example
 * ```ts
 * import type { CommandContext } from "cosmic-allocation";
 *
 * const handler = async (command: { readonly sku: string }, { uow }: CommandContext) =>
 *   (await uow.products.get(command.sku))?.versionNumber ?? 0;
 * ```
 */
export interface CommandContext {
  /** The unit of work of this attempt; the bus commits it, and retries on a lost race. */
  readonly uow: UnitOfWork;
  /**
   * Queues an event of a type the bus knows, handed to its subscribers after the commit.
   *
   * @param event - the event
   */
  raise<E extends Message>(event: E): void;
}

/**
 * A command of your own: how to read it (checked before any unit of work
 * opens) and how to handle it inside one. Build it with {@link defineCommand}
 * so that its types reach the bus.
 *
 * @example
 * ```ts
 * import { defineCommand, type CommandDefinition } from "cosmic-allocation";
 *
 * const ping: CommandDefinition<{ readonly type: "Ping" }, string> = defineCommand({ handle: () => "pong" });
 * ```
 */
export interface CommandDefinition<C extends Message, R> {
  /** Checks a message's fields and returns the command; throw a ValidationError for bad input. By default the message is taken as it is. */
  readonly read?: (message: Readonly<Record<string, unknown>>) => C;
  /** Handles the command in a unit of work the bus opened; its result is what `bus.handle` resolves to. */
  readonly handle: (command: C, context: CommandContext) => R | Promise<R>;
}

/**
 * An event of your own, for the `events` option of {@link createMessageBus}.
 *
 * @example
 * ```ts
 * import { defineEvent, type EventDefinition } from "cosmic-allocation";
 *
 * const restocked: EventDefinition<{ readonly type: "Restocked"; readonly sku: string }> = defineEvent();
 * ```
 */
export interface EventDefinition<E extends Message> {
  /** Checks an event handed to `bus.handle`; by default it is taken as it is. */
  readonly read?: (message: Readonly<Record<string, unknown>>) => E;
  /** Carries the event's type for the compiler only. */
  readonly _event?: E;
}

/**
 * Types a command of your own for {@link createMessageBus}.
 *
 * @param definition - how to read and handle it
 * @returns the same definition, typed
 *
 * @example
 * ```ts
 * import { createMessageBus, defineCommand, InMemoryStore } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const bus = createMessageBus({
 *   uow: () => store.unitOfWork(),
 *   commands: {
 *     CountBatches: defineCommand<{ readonly type: "CountBatches"; readonly sku: string }, number>({
 *       handle: async ({ sku }, { uow }) => (await uow.products.get(sku))?.batches.length ?? 0,
 *     }),
 *   },
 * });
 * await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
 * const count: number = await bus.handle({ type: "CountBatches", sku: "LAMP" });
 * console.log(count); // 1
 * ```
 */
export function defineCommand<C extends Message, R>(
  definition: CommandDefinition<C, R>,
): CommandDefinition<C, R> {
  return definition;
}

/**
 * Types an event of your own for {@link createMessageBus}.
 *
 * @param read - checks an event handed to `bus.handle`; optional
 * @returns the event's definition
 *
 * @example
 * ```ts
 * import { createMessageBus, defineEvent, InMemoryStore } from "cosmic-allocation";
 *
 * type Restocked = { readonly type: "Restocked"; readonly sku: string };
 * const bus = createMessageBus({
 *   uow: () => new InMemoryStore().unitOfWork(),
 *   events: { Restocked: defineEvent<Restocked>() },
 * });
 * bus.subscribe("Restocked", (event) => console.log(event.sku)); // "LAMP"
 * await bus.handle({ type: "Restocked", sku: "LAMP" });
 * ```
 */
export function defineEvent<E extends Message>(
  read?: (message: Readonly<Record<string, unknown>>) => E,
): EventDefinition<E> {
  return read === undefined ? {} : { read };
}

/**
 * The command table of a `commands` option.
 *
 * @example
 * ```ts
 * import { defineCommand, type CommandsOf } from "cosmic-allocation";
 *
 * const commands = { Ping: defineCommand<{ readonly type: "Ping" }, string>({ handle: () => "pong" }) };
 * type Result = CommandsOf<typeof commands>["Ping"]["result"]; // string
 * ```
 */
export type CommandsOf<D> = {
  readonly [K in keyof D]: D[K] extends CommandDefinition<infer C, infer R>
    ? CommandEntry<C, R>
    : never;
};

/**
 * The event table of an `events` option.
 *
 * @example
 * ```ts
 * import { defineEvent, type EventsOf } from "cosmic-allocation";
 *
 * const events = { Pinged: defineEvent<{ readonly type: "Pinged"; readonly at: number }>() };
 * type Pinged = EventsOf<typeof events>["Pinged"]; // { type: "Pinged"; at: number }
 * ```
 */
export type EventsOf<D> = {
  readonly [K in keyof D]: D[K] extends EventDefinition<infer E> ? E : never;
};

/**
 * What an event handler is given besides the event.
 *
 * @example
 * ```ts
 * import type { EventContext, StandardCommands } from "cosmic-allocation";
 *
 * const onOutOfStock = (_event: unknown, { send }: EventContext<StandardCommands>) =>
 *   send({ type: "CreateBatch", ref: "emergency", sku: "LAMP", qty: 10 });
 * ```
 */
export interface EventContext<C extends CommandTable> {
  /**
   * Queues a command, run after the current message, one at a time, in the
   * order sent; its failure goes to `onError`. Checked now: a malformed one throws here.
   *
   * @param command - the command
   */
  send<M extends CommandMessage<C>>(command: M): void;
  /** The outbox entry's id when the event came through {@link MessageBus.deliver}; undefined otherwise. Use it to drop repeats. */
  readonly id: string | undefined;
}

/**
 * What `bus.handle(message)` resolves to: a command's result, or undefined for an event.
 *
 * @example
 * ```ts
 * import type { Allocate, ResultOf, StandardCommands } from "cosmic-allocation";
 *
 * type BatchReference = ResultOf<StandardCommands, Allocate>; // string
 * ```
 */
export type ResultOf<C extends CommandTable, M> = M extends Message ? ResultOfMessage<C, M> : never;

/**
 * {@link ResultOf} for a type known to be a message.
 *
 * @example
 * ```ts
 * import type { Deallocate, ResultOfMessage, StandardCommands } from "cosmic-allocation";
 *
 * type HeldIn = ResultOfMessage<StandardCommands, Deallocate>; // string | null
 * ```
 */
export type ResultOfMessage<C extends CommandTable, M extends Message> = M["type"] extends keyof C
  ? C[M["type"]] extends CommandEntry<Message, infer R>
    ? R
    : never
  : undefined;

/**
 * The message bus of the book's chapters 8 and 9.
 *
 * @example
 * ```ts
 * import { createMessageBus, InMemoryStore, type MessageBus, type StandardCommands, type StandardEvents } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const bus: MessageBus<StandardCommands, StandardEvents> = createMessageBus({ uow: () => store.unitOfWork() });
 * await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
 * console.log(await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 2 })); // "b1"
 * ```
 */
export interface MessageBus<C extends CommandTable, E extends EventTable> {
  /**
   * Handles a command or an event, then every message it caused, until the
   * queue it started is empty. A command runs in its own unit of work, with
   * retries on {@link ConcurrencyConflict}; the events its commit stored go on
   * the queue (unless the bus delivers through an outbox), each handed to every
   * subscriber in the order subscribed. Resolves to the command's result, or
   * rejects with its error, only once the queue is empty.
   *
   * @param message - a command or an event of a type the bus knows
   * @returns the command's result; nothing for an event
   * @throws {@link UnknownMessage} for a type the bus does not know, before any unit of work opens
   * @throws {@link ValidationError} for a malformed message, before any unit of work opens
   */
  handle<M extends CommandMessage<C> | EventMessage<E>>(message: M): Promise<ResultOf<C, M>>;

  /**
   * Subscribes a handler to an event type. A handler's failure never fails
   * the command nor stops the other handlers: it goes to `onError`.
   *
   * @param type - an event type the bus knows
   * @param handler - called with each event of that type, awaited before the next
   * @returns a function that unsubscribes it
   * @throws {@link UnknownMessage} for an event type the bus does not know
   */
  subscribe<T extends keyof E & string>(
    type: T,
    handler: (event: E[T], context: EventContext<C>) => unknown,
  ): () => void;

  /**
   * Hands an event from an outbox relay to its subscribers, like `handle`,
   * but rejects once the queue is empty if any subscriber (or a command one
   * sent) failed, so that the relay keeps the event and offers it again:
   * `store.relay(bus.deliver)`. Delivery is then at least once; handlers
   * drop repeats by `context.id`.
   *
   * @param entry - the relay's entry
   * @throws {@link DeliveryFailed} listing the failures; `onError` is told of each too
   */
  deliver(entry: OutboxEntry): Promise<void>;
}

/**
 * The options of {@link createMessageBus}.
 *
 * @example
 * ```ts
 * import { InMemoryStore, type MessageBusOptions } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const options: MessageBusOptions<Record<never, never>, Record<never, never>> = {
 *   uow: () => store.unitOfWork(),
 *   onError: (error, message) => console.error(message.type, error),
 * };
 * ```
 */
export interface MessageBusOptions<CD, ED> {
  /** Opens a unit of work; the same factory `services.*` take. */
  readonly uow: UnitOfWorkFactory;
  /** Commands of your own, by type, built with {@link defineCommand}. */
  readonly commands?: CD;
  /** Events of your own, by type, built with {@link defineEvent}. */
  readonly events?: ED;
  /** Where a failing event handler's error (or a failing command an event handler sent) goes, with the message. Default: `console.error`. */
  readonly onError?: (error: unknown, message: Message) => void;
  /**
   * `"memory"` (default): the events of a command's commit are handled right
   * after it, from memory. `"outbox"`: they are not; a relay hands them to
   * {@link MessageBus.deliver} from the store's outbox, so none is lost when
   * the process dies between commit and publish.
   */
  readonly delivery?: "memory" | "outbox";
  /** How many times a command is tried again after a {@link ConcurrencyConflict}; 5 by default. */
  readonly retries?: number;
  /** Milliseconds to wait before attempt `attempt + 1`; jittered exponential by default. */
  readonly backoff?: (attempt: number) => number;
  /** Told before each retry. */
  readonly onRetry?: (notice: RetryNotice) => void;
}

interface QueuedCommand {
  readonly kind: "command";
  readonly message: Message;
  readonly useCase: UseCase<unknown, unknown>;
  readonly fields: unknown;
}

interface QueuedEvent {
  readonly kind: "event";
  readonly event: Message;
  readonly id: string | undefined;
}

type Queued = QueuedCommand | QueuedEvent;

const standardCommands: Readonly<Record<string, UseCase<unknown, unknown>>> = {
  CreateBatch: addBatch as UseCase<unknown, unknown>,
  Allocate: allocate as UseCase<unknown, unknown>,
  Deallocate: deallocate as UseCase<unknown, unknown>,
  ChangeBatchQuantity: changeBatchQuantity as UseCase<unknown, unknown>,
  AllocateOrder: allocateOrder as UseCase<unknown, unknown>,
  DeallocateOrder: deallocateOrder as UseCase<unknown, unknown>,
};

const standardEvents: Readonly<
  Record<string, (record: Readonly<Record<string, unknown>>) => Message>
> = {
  Allocated: /* @__PURE__ */ readLineEvent(true),
  Deallocated: /* @__PURE__ */ readLineEvent(true),
  OutOfStock: /* @__PURE__ */ readLineEvent(false),
};

/**
 * Creates a message bus over a unit-of-work factory (the book's chapters 8
 * and 9): commands with exactly one handler each, run in their own unit of
 * work; events handed, after the commit that stored them, to every handler
 * subscribed; and everything they cause, on one queue, in order.
 *
 * @param options - the unit-of-work factory, your own commands and events, and error and retry policy
 * @returns the bus
 * @throws {@link ValidationError} for malformed options, or a type of your own that clashes with another
 *
 * @example
 * ```ts
 * import { createMessageBus, InMemoryStore, OutOfStock } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const bus = createMessageBus({ uow: () => store.unitOfWork() });
 * const emails: string[] = [];
 * bus.subscribe("OutOfStock", (event) => {
 *   emails.push(`Out of stock: ${event.sku}`);
 * });
 * await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 1 });
 * try {
 *   await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 5 });
 * } catch (error) {
 *   console.log(OutOfStock.is(error), emails); // true ["Out of stock: LAMP"]
 * }
 * ```
 */
export function createMessageBus<CD = Record<never, never>, ED = Record<never, never>>(
  options: MessageBusOptions<CD, ED>,
): MessageBus<StandardCommands & CommandsOf<CD>, StandardEvents & EventsOf<ED>> {
  const record = requireRecord(options, "options");
  const factory = requireFactory(record.uow, "options.uow");
  const policy = readRetryPolicy(record);
  requireOptionalFunction(record.onError, "options.onError");
  const onError = (record.onError ?? reportToConsole) as (error: unknown, message: Message) => void;
  const delivery = record.delivery ?? "memory";
  if (delivery !== "memory" && delivery !== "outbox") {
    throw new ValidationError("options.delivery", delivery, '"memory" or "outbox"');
  }
  const commands = new Map(Object.entries(standardCommands));
  const events = new Map(Object.entries(standardEvents));
  for (const [type, definition] of entriesOf(record.commands, "options.commands")) {
    requireNewType(type, commands, events, `options.commands.${type}`);
    commands.set(type, customUseCase(definition as CommandDefinition<Message, unknown>, type));
  }
  for (const [type, definition] of entriesOf(record.events, "options.events")) {
    requireNewType(type, commands, events, `options.events.${type}`);
    const read = (definition as EventDefinition<Message>).read;
    requireOptionalFunction(read, `options.events.${type}.read`);
    events.set(type, (message) =>
      read === undefined ? (message as unknown as Message) : read(message),
    );
  }
  const subscribers = new Map<
    string,
    ((event: Message, context: EventContext<CommandTable>) => unknown)[]
  >();

  const read = (message: unknown, field: string): Queued => {
    const fields = requireRecord(message, field);
    const type = readType(fields, field);
    const useCase = commands.get(type);
    if (useCase !== undefined) {
      return {
        kind: "command",
        message: fields as unknown as Message,
        useCase,
        fields: useCase.read(fields),
      };
    }
    const readEvent = events.get(type);
    if (readEvent === undefined) throw new UnknownMessage(type);
    return { kind: "event", event: readEvent(fields), id: undefined };
  };

  // Runs the queue a message started until it is empty; returns the first
  // command's outcome and every failure met on the way.
  const run = async (first: Queued) => {
    const queue: Queued[] = [first];
    const failures: unknown[] = [];
    let outcome: { value: unknown } | { error: unknown } = { value: undefined };
    while (queue.length > 0) {
      const item = queue.shift() as Queued;
      if (item.kind === "command") {
        try {
          const committed = await runInUnitOfWork(factory, policy, item.useCase, item.fields);
          const raised = raisedBy(committed.outcome);
          if (delivery === "memory") {
            for (const event of committed.events)
              queue.push({ kind: "event", event, id: undefined });
          }
          for (const event of raised) queue.push(read(event, "raised event"));
          if ("error" in committed.outcome) throw committed.outcome.error;
          if (item === first) outcome = { value: committed.outcome.value };
        } catch (error) {
          if (item === first) outcome = { error };
          else {
            failures.push(error);
            report(onError, error, item.message);
          }
        }
        continue;
      }
      const context: EventContext<CommandTable> = {
        send: (command) => {
          const queued = read(command, "command");
          if (queued.kind !== "command") throw new ValidationError("command", command, "a command");
          queue.push(queued);
        },
        id: item.id,
      };
      for (const handler of [...(subscribers.get(item.event.type) ?? [])]) {
        try {
          await handler(item.event, context);
        } catch (error) {
          failures.push(error);
          report(onError, error, item.event);
        }
      }
    }
    return { outcome, failures };
  };

  const bus: MessageBus<CommandTable, EventTable> = {
    async handle(message) {
      const { outcome } = await run(read(message, "message"));
      if ("error" in outcome) throw outcome.error;
      return outcome.value as never;
    },
    subscribe(type, handler) {
      if (typeof type !== "string") throw new ValidationError("type", type, "an event type");
      if (!events.has(type)) throw new UnknownMessage(type);
      if (typeof handler !== "function")
        throw new ValidationError("handler", handler, "a function");
      const list = subscribers.get(type) ?? [];
      const subscribed = handler as (
        event: Message,
        context: EventContext<CommandTable>,
      ) => unknown;
      list.push(subscribed);
      subscribers.set(type, list);
      return () => {
        const at = list.indexOf(subscribed);
        if (at >= 0) list.splice(at, 1);
      };
    },
    async deliver(entry) {
      const fields = requireRecord(entry, "entry");
      const id = requireText(fields.id, "entry.id");
      const queued = read(fields.event, "entry.event");
      if (queued.kind !== "event")
        throw new ValidationError("entry.event", fields.event, "an event");
      const { failures } = await run({ ...queued, id });
      if (failures.length > 0) throw new DeliveryFailed(id, failures);
    },
  };
  return bus as unknown as MessageBus<
    StandardCommands & CommandsOf<CD>,
    StandardEvents & EventsOf<ED>
  >;
}

function customUseCase(
  definition: CommandDefinition<Message, unknown>,
  type: string,
): UseCase<unknown, unknown> {
  requireRecord(definition, `options.commands.${type}`);
  if (typeof definition.handle !== "function") {
    throw new ValidationError(`options.commands.${type}.handle`, definition.handle, "a function");
  }
  requireOptionalFunction(definition.read, `options.commands.${type}.read`);
  return {
    read: (message) => (definition.read === undefined ? message : definition.read(message)),
    async run(fields, uow) {
      const raised: Message[] = [];
      const value = await definition.handle(fields as Message, {
        uow,
        raise: (event) => raised.push(event),
      });
      return { value, raised } as { value: unknown };
    },
  };
}

function raisedBy(outcome: object): readonly Message[] {
  return (outcome as { readonly raised?: readonly Message[] }).raised ?? [];
}

function readLineEvent(withBatch: boolean): (record: Readonly<Record<string, unknown>>) => Message {
  return (record) => {
    requireText(record.orderid, "orderid");
    requireText(record.sku, "sku");
    requirePositiveQuantity(record.qty, "qty");
    if (withBatch) requireText(record.batchref, "batchref");
    return record as unknown as DomainEvent;
  };
}

function readType(fields: Readonly<Record<string, unknown>>, field: string): string {
  return requireText(fields.type, `${field}.type`);
}

function entriesOf(value: unknown, field: string): [string, unknown][] {
  return value === undefined ? [] : Object.entries(requireRecord(value, field));
}

function requireNewType(
  type: string,
  commands: Map<string, unknown>,
  events: Map<string, unknown>,
  field: string,
): void {
  if (commands.has(type) || events.has(type)) {
    throw new ValidationError(field, type, "a message type the bus does not know yet");
  }
}

function report(
  onError: (error: unknown, message: Message) => void,
  error: unknown,
  message: Message,
): void {
  try {
    onError(error, message);
  } catch {
    // A failing error reporter must not stop the queue either.
  }
}

interface Console {
  error(...values: unknown[]): void;
}

function reportToConsole(error: unknown, message: Message): void {
  (globalThis as { console?: Console }).console?.error(
    `cosmic-allocation: a handler of ${message.type} failed`,
    error,
  );
}
