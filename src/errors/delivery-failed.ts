import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown by a message bus's `deliver` when a subscriber of the event (or a
 * command one sent) failed, so that the outbox relay keeps the event and
 * offers it again. Every failure also went to the bus's `onError`.
 *
 * @example
 * ```ts
 * import { createMessageBus, DeliveryFailed, InMemoryStore } from "cosmic-allocation";
 *
 * const bus = createMessageBus({ uow: () => new InMemoryStore().unitOfWork(), onError: () => {} });
 * bus.subscribe("OutOfStock", () => {
 *   throw new Error("mail server down");
 * });
 * const event = { type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 1 } as const;
 * try {
 *   await bus.deliver({ id: "7", event });
 * } catch (error) {
 *   if (DeliveryFailed.is(error)) console.log(error.id, error.failures.length); // "7" 1
 * }
 * ```
 */
export class DeliveryFailed extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "DELIVERY_FAILED";
  /** The outbox entry's id. */
  readonly id: string;
  /** What each failing handler threw, in the order they ran. */
  readonly failures: readonly unknown[];

  /**
   * @param id - the outbox entry's id
   * @param failures - what each failing handler threw
   */
  constructor(id: string, failures: readonly unknown[]) {
    super(
      "DeliveryFailed",
      DeliveryFailed.code,
      `Event ${id} not delivered: ${failures.length} handler(s) failed`,
    );
    this.id = id;
    this.failures = Object.freeze([...failures]);
  }

  /**
   * Tells whether a value is a {@link DeliveryFailed}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a DeliveryFailed
   */
  static override is(value: unknown): value is DeliveryFailed {
    return codeOf(value) === DeliveryFailed.code;
  }
}
