import type { Product } from "../domain/product";

/**
 * The repository port: the collection of every {@link Product}, as one unit of
 * work sees it. An adapter implements it over its storage.
 *
 * Within one unit of work, `get` returns the same object for the same sku
 * (an identity map), so changes made through it are the ones committed.
 *
 * @example
 * ```ts
 * import { Batch, InMemoryStore, Product } from "cosmic-allocation";
 *
 * const uow = new InMemoryStore().unitOfWork();
 * await uow.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
 * console.log((await uow.products.get("LAMP"))?.sku); // "LAMP"
 * console.log((await uow.products.getByBatchRef("b1"))?.sku); // "LAMP"
 * await uow.commit();
 * ```
 */
export interface ProductRepository {
  /**
   * Adds a new product, to be saved when the unit of work commits.
   *
   * @param product - a product whose sku the store does not hold yet
   * @throws {@link DuplicateProduct} when this unit of work already sees a product with that sku
   */
  add(product: Product): Promise<void>;

  /**
   * Finds the product of a sku.
   *
   * @param sku - the sku
   * @returns the product, or undefined when there is none
   */
  get(sku: string): Promise<Product | undefined>;

  /**
   * Finds the product that holds a batch.
   *
   * @param reference - a batch reference
   * @returns the product holding that batch, or undefined when no product does
   */
  getByBatchRef(reference: string): Promise<Product | undefined>;

  /**
   * Finds every product that holds a line of an order, through an index (its
   * cost does not grow with the number of products), as this unit of work
   * sees them: a line placed in it and not yet committed counts.
   *
   * @param orderid - an order id
   * @returns the products, in the order of their skus; empty for an unknown order
   */
  getByOrder(orderid: string): Promise<readonly Product[]>;
}
