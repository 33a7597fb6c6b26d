import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when a unit of work is used after it committed or rolled back: one unit of work is one transaction.
 *
 * @example
 * ```ts
 * import { InMemoryStore, UnitOfWorkClosed } from "cosmic-allocation";
 *
 * const uow = new InMemoryStore().unitOfWork();
 * await uow.commit();
 * try {
 *   await uow.products.get("LAMP");
 * } catch (error) {
 *   if (UnitOfWorkClosed.is(error)) console.log(error.state); // "committed"
 * }
 * ```
 */
export class UnitOfWorkClosed extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "UNIT_OF_WORK_CLOSED";
  /** How the unit of work ended. */
  readonly state: "committed" | "rolled back";

  /**
   * @param state - how the unit of work ended
   */
  constructor(state: "committed" | "rolled back") {
    super(
      "UnitOfWorkClosed",
      UnitOfWorkClosed.code,
      `Unit of work already ${state}: open a new one for more work`,
    );
    this.state = state;
  }

  /**
   * Tells whether a value is an {@link UnitOfWorkClosed}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an UnitOfWorkClosed
   */
  static override is(value: unknown): value is UnitOfWorkClosed {
    return codeOf(value) === UnitOfWorkClosed.code;
  }
}
