import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown when a product is added to a repository that already has a product with that sku.
 *
 * @example
 * ```ts
 * import { DuplicateProduct, InMemoryStore, Product } from "cosmic-allocation";
 *
 * const uow = new InMemoryStore().unitOfWork();
 * await uow.products.add(new Product("LAMP"));
 * try {
 *   await uow.products.add(new Product("LAMP"));
 * } catch (error) {
 *   if (DuplicateProduct.is(error)) console.log(error.sku); // "LAMP"
 * }
 * ```
 */
export class DuplicateProduct extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "DUPLICATE_PRODUCT";
  /** The sku that already has a product. */
  readonly sku: string;

  /**
   * @param sku - the sku that already has a product
   */
  constructor(sku: string) {
    super("DuplicateProduct", DuplicateProduct.code, `Duplicate product ${sku}`);
    this.sku = sku;
  }

  /**
   * Tells whether a value is a {@link DuplicateProduct}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a DuplicateProduct
   */
  static override is(value: unknown): value is DuplicateProduct {
    return codeOf(value) === DuplicateProduct.code;
  }
}
