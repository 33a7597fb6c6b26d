import type { BatchView } from "../domain/batch-view";
import type { DomainEvent } from "../domain/events";
import type { LineAllocation, Product } from "../domain/product";

/**
 * What an adapter writes to back a unit of work: how to load a product and
 * how to save a commit. {@link trackUnitOfWork} does the rest of the
 * bookkeeping every adapter needs (identity map, the version each product was
 * read at, open/committed/rolled-back state, which products changed and how,
 * and their events), so an adapter over a new database is these few methods.
 *
 * @example
 * ```ts
 * import { Product, type ProductStorage, trackUnitOfWork } from "cosmic-allocation";
 *
 * const rows = new Map<string, string>();
 * const storage: ProductStorage = {
 *   async load(sku) {
 *     const json = rows.get(sku);
 *     return json === undefined ? undefined : Product.fromJSON(JSON.parse(json));
 *   },
 *   async skuOfBatch() {
 *     return undefined;
 *   },
 *   async skusOfOrder() {
 *     return [];
 *   },
 *   async save({ products }) {
 *     for (const { product } of products) rows.set(product.sku, JSON.stringify(product));
 *   },
 * };
 * const uow = trackUnitOfWork(storage);
 * await uow.products.add(new Product("LAMP"));
 * await uow.commit();
 * console.log(rows.has("LAMP")); // true
 * ```
 */
export interface ProductStorage {
  /**
   * Reads the committed product of a sku. Called at most once per sku in one
   * unit of work: the tracker keeps what it returns in its identity map.
   *
   * @param sku - a non-empty sku
   * @returns a product of its own (never one shared with another unit of work), or undefined
   */
  load(sku: string): Promise<Product | undefined>;

  /**
   * Finds which product holds a batch, through an index, not a scan.
   *
   * @param reference - a batch reference
   * @returns the sku of the product holding it, or undefined
   */
  skuOfBatch(reference: string): Promise<string | undefined>;

  /**
   * Finds the products that hold a line of an order, through an index, not a scan.
   *
   * @param orderid - an order id
   * @returns the skus, each once, in any order; empty for an unknown order
   */
  skusOfOrder(orderid: string): Promise<readonly string[]>;

  /**
   * Writes one commit atomically: every product change and every event, or none.
   *
   * @param commit - what changed since the products were read, and the events to store
   * @throws {@link ConcurrencyConflict} when a product's stored version is no longer
   *   the one it was read at, or a new product's sku exists already; nothing is written
   * @throws {@link DuplicateBatch} when a new batch's reference belongs to another product
   */
  save(commit: CommitPlan): Promise<void>;

  /**
   * Called once when the unit of work ends without writing anything (a
   * rollback, or a commit with nothing to save), to release what `load`
   * lent, unchanged. Optional.
   */
  discard?(): Promise<void>;
}

/**
 * One commit, as {@link trackUnitOfWork} hands it to {@link ProductStorage.save}.
 *
 * @example
 * ```ts
 * import type { CommitPlan } from "cosmic-allocation";
 *
 * const nothing: CommitPlan = { products: [], events: [] };
 * console.log(nothing.products.length); // 0
 * ```
 */
export interface CommitPlan {
  /** The products this unit of work changed or added, in the order it first saw them. */
  readonly products: readonly ProductChanges[];
  /**
   * The new events of every product the unit of work loaded or added, in the
   * order they were recorded; not empty even when no stock changed (an
   * `OutOfStock`). An adapter with an outbox writes them in the same transaction.
   */
  readonly events: readonly DomainEvent[];
}

/**
 * How one product changed since it was read: enough to write only what
 * changed (O(changes), not O(product)). Each list is net of what cancelled out
 * within the unit of work, in the order the changes were made.
 *
 * @example
 * ```ts
 * import type { ProductChanges } from "cosmic-allocation";
 *
 * const describe = (changes: ProductChanges): string =>
 *   `${changes.product.sku}: +${changes.allocated.length} -${changes.deallocated.length}`;
 * ```
 */
export interface ProductChanges {
  /** The product as it is committed. */
  readonly product: Product;
  /** The version it was read at (compare-and-set against it), or null for a product this unit of work added. */
  readonly readVersion: number | null;
  /**
   * Batches that are new to storage, with their reference, sku, eta and
   * purchased quantity. Their allocations are not written from here: they are in
   * {@link ProductChanges.allocated} like every other.
   */
  readonly addedBatches: readonly BatchView[];
  /** New purchased quantities of batches that storage already holds. */
  readonly changedQuantities: readonly QuantityChange[];
  /** Lines storage holds that a batch no longer holds, to remove. */
  readonly deallocated: readonly LineAllocation[];
  /**
   * Lines to add, oldest first: a batch releases its most recently allocated
   * lines first when it shrinks, so storage keeps this order after what it holds.
   */
  readonly allocated: readonly LineAllocation[];
}

/**
 * A batch's new purchased quantity, in a {@link ProductChanges}.
 *
 * @example
 * ```ts
 * import type { QuantityChange } from "cosmic-allocation";
 *
 * const change: QuantityChange = { reference: "b1", qty: 20 };
 * ```
 */
export interface QuantityChange {
  /** The batch. */
  readonly reference: string;
  /** Its new purchased quantity. */
  readonly qty: number;
}
