import { type Product, requireProduct } from "../domain/product";
import { requireText } from "../domain/validate";
import { ConcurrencyConflict } from "../errors/concurrency-conflict";
import { DuplicateBatch } from "../errors/duplicate-batch";
import { DuplicateProduct } from "../errors/duplicate-product";
import { UnitOfWorkClosed } from "../errors/unit-of-work-closed";
import { asyncDispose } from "../ports/dispose-symbol";
import type { ProductRepository } from "../ports/product-repository";
import type { UnitOfWork } from "../ports/unit-of-work";

/** What the store has committed: private objects that no unit of work ever hands out. */
interface Committed {
  readonly products: Map<string, Product>;
  readonly skuByBatchRef: Map<string, string>;
}

/**
 * A real in-memory store of products, with units of work that keep the
 * semantics of the {@link UnitOfWork} port: private copies per unit of work,
 * atomic commits, optimistic concurrency on the product's version, and
 * rollback by default. Browser-safe: frontends use it for what-if work, tests
 * and prototypes use it in place of a database.
 *
 * A unit of work costs what the products it touches cost to copy, whatever
 * the size of the store.
 *
 * @example
 * ```ts
 * import { Batch, InMemoryStore, OrderLine, Product } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const setup = store.unitOfWork();
 * await setup.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
 * await setup.commit();
 *
 * const uow = store.unitOfWork();
 * const product = await uow.products.get("LAMP");
 * product?.allocate(new OrderLine("o1", "LAMP", 4));
 * await uow.commit();
 *
 * const check = store.unitOfWork();
 * console.log((await check.products.get("LAMP"))?.versionNumber); // 1
 * await check.rollback();
 * ```
 */
export class InMemoryStore {
  readonly #committed: Committed = { products: new Map(), skuByBatchRef: new Map() };

  /**
   * Opens a unit of work: one transaction over the store.
   *
   * @returns a new, open unit of work
   */
  unitOfWork(): UnitOfWork {
    return openUnitOfWork(this.#committed);
  }
}

interface Seen {
  readonly product: Product;
  // The committed version this unit of work read, or null for a product it added.
  readonly readVersion: number | null;
}

// A function that builds the unit of work from closures rather than a class:
// its dispose method has a computed symbol key, and a class with one is kept by
// bundlers even when nothing uses it.
function openUnitOfWork(committed: Committed): UnitOfWork {
  const seen = new Map<string, Seen>();
  let state: "open" | "committed" | "rolled back" = "open";

  const requireOpen = (): void => {
    if (state !== "open") throw new UnitOfWorkClosed(state);
  };
  const close = (end: "committed" | "rolled back"): void => {
    state = end;
    seen.clear();
  };
  const get = (sku: string): Product | undefined => {
    requireOpen();
    const known = seen.get(sku);
    if (known !== undefined) return known.product;
    const stored = committed.products.get(sku);
    if (stored === undefined) return undefined;
    const product = stored._clone();
    seen.set(sku, { product, readVersion: stored.versionNumber });
    return product;
  };

  const products: ProductRepository = {
    async add(product) {
      requireOpen();
      requireProduct(product, "product");
      const sku = product.sku;
      if (seen.has(sku) || committed.products.has(sku)) throw new DuplicateProduct(sku);
      seen.set(sku, { product, readVersion: null });
    },
    async get(sku) {
      return get(requireText(sku, "sku"));
    },
    async getByBatchRef(reference) {
      requireText(reference, "reference");
      requireOpen();
      for (const { product } of seen.values()) {
        if (product.getBatch(reference) !== undefined) return product;
      }
      const sku = committed.skuByBatchRef.get(reference);
      return sku === undefined ? undefined : get(sku);
    },
  };

  return {
    products,
    async commit() {
      requireOpen();
      const changed = [...seen.values()].filter(
        ({ product, readVersion }) => product.versionNumber !== readVersion,
      );
      try {
        checkCommit(committed, changed);
      } catch (error) {
        close("rolled back");
        throw error;
      }
      // Checked in full before anything is written, and nothing awaits in between: atomic.
      // A copy shares the batches' lines until either side writes: O(batches), not O(lines).
      for (const { product } of changed) {
        committed.products.set(product.sku, product._clone());
        for (const batch of product.batches)
          committed.skuByBatchRef.set(batch.reference, product.sku);
      }
      close("committed");
    },
    async rollback() {
      requireOpen();
      close("rolled back");
    },
    async [asyncDispose]() {
      if (state === "open") close("rolled back");
    },
  };
}

// A commit applies only if no product it changed moved since it was read, no
// product it created exists, and no batch reference belongs to another product.
function checkCommit(committed: Committed, changed: readonly Seen[]): void {
  const references = new Map<string, string>();
  for (const { product, readVersion } of changed) {
    const current = committed.products.get(product.sku);
    const moved =
      readVersion === null ? current !== undefined : current?.versionNumber !== readVersion;
    if (moved) throw new ConcurrencyConflict(product.sku);
    for (const batch of product.batches) {
      const owner = references.get(batch.reference) ?? committed.skuByBatchRef.get(batch.reference);
      if (owner !== undefined && owner !== product.sku) throw new DuplicateBatch(batch.reference);
      references.set(batch.reference, product.sku);
    }
  }
}
