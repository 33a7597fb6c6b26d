import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown by a message bus for a message whose `type` it has no handler for,
 * before any unit of work opens.
 *
 * @example
 * ```ts
 * import { createMessageBus, InMemoryStore, UnknownMessage } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const bus = createMessageBus({ uow: () => store.unitOfWork() });
 * try {
 *   await bus.handle({ type: "Reticulate" } as never);
 * } catch (error) {
 *   if (UnknownMessage.is(error)) console.log(error.type); // "Reticulate"
 * }
 * ```
 */
export class UnknownMessage extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "UNKNOWN_MESSAGE";
  /** The message type the bus does not know. */
  readonly type: string;

  /**
   * @param type - the unknown message type
   */
  constructor(type: string) {
    super(
      "UnknownMessage",
      UnknownMessage.code,
      `No handler for message type ${JSON.stringify(type.slice(0, 60))}`,
    );
    this.type = type;
  }

  /**
   * Tells whether a value is an {@link UnknownMessage}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an UnknownMessage
   */
  static override is(value: unknown): value is UnknownMessage {
    return codeOf(value) === UnknownMessage.code;
  }
}
