import { cloneProduct, type Product, requireProduct } from "../domain/product";
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
 * console.log((await check.products.get("LAMP"))?.versionNumber); // 2
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
    return new InMemoryUnitOfWork(this.#committed);
  }
}

interface Seen {
  readonly product: Product;
  // The committed version this unit of work read, or null for a product it added.
  readonly readVersion: number | null;
}

class InMemoryUnitOfWork implements UnitOfWork {
  readonly products: ProductRepository;
  readonly #committed: Committed;
  readonly #seen = new Map<string, Seen>();
  #state: "open" | "committed" | "rolled back" = "open";

  constructor(committed: Committed) {
    this.#committed = committed;
    this.products = {
      add: async (product) => this.#add(product),
      get: async (sku) => this.#get(requireText(sku, "sku")),
      getByBatchRef: async (reference) => this.#getByBatchRef(requireText(reference, "reference")),
    };
  }

  async commit(): Promise<void> {
    this.#requireOpen();
    const changed = [...this.#seen.values()].filter(
      ({ product, readVersion }) => product.versionNumber !== readVersion,
    );
    try {
      this.#check(changed);
    } catch (error) {
      this.#close("rolled back");
      throw error;
    }
    // Checked in full before anything is written, and nothing awaits in between: atomic.
    for (const { product } of changed) {
      this.#committed.products.set(product.sku, cloneProduct(product));
      for (const batch of product.batches) {
        this.#committed.skuByBatchRef.set(batch.reference, product.sku);
      }
    }
    this.#close("committed");
  }

  async rollback(): Promise<void> {
    this.#requireOpen();
    this.#close("rolled back");
  }

  async [asyncDispose](): Promise<void> {
    if (this.#state === "open") this.#close("rolled back");
  }

  #add(product: Product): void {
    this.#requireOpen();
    requireProduct(product, "product");
    const sku = product.sku;
    if (this.#seen.has(sku) || this.#committed.products.has(sku)) throw new DuplicateProduct(sku);
    this.#seen.set(sku, { product, readVersion: null });
  }

  #get(sku: string): Product | undefined {
    this.#requireOpen();
    const seen = this.#seen.get(sku);
    if (seen !== undefined) return seen.product;
    const committed = this.#committed.products.get(sku);
    if (committed === undefined) return undefined;
    const product = cloneProduct(committed);
    this.#seen.set(sku, { product, readVersion: committed.versionNumber });
    return product;
  }

  #getByBatchRef(reference: string): Product | undefined {
    this.#requireOpen();
    for (const { product } of this.#seen.values()) {
      if (product.getBatch(reference) !== undefined) return product;
    }
    const sku = this.#committed.skuByBatchRef.get(reference);
    return sku === undefined ? undefined : this.#get(sku);
  }

  #check(changed: readonly Seen[]): void {
    const references = new Map<string, string>();
    for (const { product, readVersion } of changed) {
      const current = this.#committed.products.get(product.sku);
      const moved =
        readVersion === null ? current !== undefined : current?.versionNumber !== readVersion;
      if (moved) throw new ConcurrencyConflict(product.sku);
      for (const batch of product.batches) {
        const owner =
          references.get(batch.reference) ?? this.#committed.skuByBatchRef.get(batch.reference);
        if (owner !== undefined && owner !== product.sku) throw new DuplicateBatch(batch.reference);
        references.set(batch.reference, product.sku);
      }
    }
  }

  #requireOpen(): void {
    if (this.#state !== "open") throw new UnitOfWorkClosed(this.#state);
  }

  #close(state: "committed" | "rolled back"): void {
    this.#state = state;
    this.#seen.clear();
  }
}
