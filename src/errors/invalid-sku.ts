import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown by the service layer when a command names a sku for which no product exists.
 *
 * @example
 * ```ts
 * import { InMemoryStore, InvalidSku, services } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * try {
 *   await services.allocate({ orderid: "o1", sku: "NONEXISTENT", qty: 10 }, () => store.unitOfWork());
 * } catch (error) {
 *   if (InvalidSku.is(error)) console.log(error.message); // "Invalid sku NONEXISTENT"
 * }
 * ```
 */
export class InvalidSku extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "INVALID_SKU";
  /** The unknown sku. */
  readonly sku: string;

  /**
   * @param sku - the unknown sku
   */
  constructor(sku: string) {
    super("InvalidSku", InvalidSku.code, `Invalid sku ${sku}`);
    this.sku = sku;
  }

  /**
   * Tells whether a value is an {@link InvalidSku}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an InvalidSku
   */
  static override is(value: unknown): value is InvalidSku {
    return codeOf(value) === InvalidSku.code;
  }
}
