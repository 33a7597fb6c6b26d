import type { DomainEvent } from "../domain/events";
import { type Product, requireProduct } from "../domain/product";
import { requireRecord, requireText } from "../domain/validate";
import { DuplicateProduct } from "../errors/duplicate-product";
import { UnitOfWorkClosed } from "../errors/unit-of-work-closed";
import { ValidationError } from "../errors/validation-error";
import { asyncDispose } from "./dispose-symbol";
import type { ProductRepository } from "./product-repository";
import type { CommitPlan, ProductChanges, ProductStorage } from "./product-storage";
import type { UnitOfWork } from "./unit-of-work";

interface Seen {
  readonly product: Product;
  // The stored version this unit of work read, or null for a product it added.
  readonly readVersion: number | null;
}

type State = "open" | "committing" | "committed" | "rolled back";

/**
 * Builds a {@link UnitOfWork} over an adapter's {@link ProductStorage}, doing
 * the bookkeeping every adapter needs so that the adapter writes only how to
 * load and how to save:
 * - an identity map: `get` returns the same object for the same sku, and
 *   `storage.load` is called at most once per sku;
 * - the version each product was read at, for the compare-and-set on commit;
 * - open, committed and rolled-back states, with {@link UnitOfWorkClosed} after;
 * - which products changed and how (new batches, quantities, lines released
 *   and placed), so `storage.save` writes O(changes), not O(product);
 * - the new events of every product it loaded or added, in the order they
 *   were recorded, saved with the commit and handed out by `collectNewEvents`.
 *
 * A commit with nothing to write and no event calls no `save` at all, only
 * `discard` (the storage takes back what `load` lent, unchanged).
 *
 * @param storage - the adapter's load and save
 * @returns an open unit of work
 * @throws {@link ValidationError} when `storage` lacks a method
 *
 * @example
 * ```ts
 * import { Batch, Product, trackUnitOfWork, type ProductStorage } from "cosmic-allocation";
 *
 * // A storage that logs what a commit would write.
 * const storage: ProductStorage = {
 *   async load() {
 *     return undefined;
 *   },
 *   async skuOfBatch() {
 *     return undefined;
 *   },
 *   async skusOfOrder() {
 *     return [];
 *   },
 *   async save({ products, events }) {
 *     console.log(products.length, events.length); // 1 0
 *   },
 * };
 * const uow = trackUnitOfWork(storage);
 * await uow.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
 * await uow.commit();
 * ```
 */
export function trackUnitOfWork(storage: ProductStorage): UnitOfWork {
  requireStorage(storage);
  const seen = new Map<string, Seen>();
  let state: State = "open";
  let committedEvents: readonly DomainEvent[] = [];

  const requireOpen = (): void => {
    if (state === "open") return;
    throw new UnitOfWorkClosed(state === "rolled back" ? "rolled back" : "committed");
  };

  const get = async (sku: string): Promise<Product | undefined> => {
    requireOpen();
    const known = seen.get(sku);
    if (known !== undefined) return known.product;
    const loaded = await storage.load(sku);
    requireOpen();
    // Another call of this unit of work may have loaded or added it meanwhile.
    const raced = seen.get(sku);
    if (raced !== undefined) return raced.product;
    if (loaded === undefined) return undefined;
    requireProduct(loaded, "storage.load()");
    loaded._track();
    seen.set(sku, { product: loaded, readVersion: loaded.versionNumber });
    return loaded;
  };

  const products: ProductRepository = {
    async add(product) {
      requireOpen();
      requireProduct(product, "product");
      const sku = product.sku;
      if (seen.has(sku)) throw new DuplicateProduct(sku);
      const stored = await storage.load(sku);
      requireOpen();
      if (stored !== undefined || seen.has(sku)) throw new DuplicateProduct(sku);
      product._track();
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
      const sku = await storage.skuOfBatch(reference);
      if (sku === undefined) return undefined;
      const product = await get(sku);
      return product?.getBatch(reference) === undefined ? undefined : product;
    },
    async getByOrder(orderid) {
      requireText(orderid, "orderid");
      requireOpen();
      const skus = new Set(await storage.skusOfOrder(orderid));
      for (const [sku, { product }] of seen) {
        if (product.linesOf(orderid).length > 0) skus.add(sku);
      }
      const found: Product[] = [];
      // One order of skus everywhere: two units of work never take the same products in opposite orders.
      for (const sku of [...skus].sort()) {
        const product = await get(sku);
        if (product !== undefined && product.linesOf(orderid).length > 0) found.push(product);
      }
      return found;
    },
  };

  const end = async (how: "rolled back"): Promise<void> => {
    state = how;
    seen.clear();
    await storage.discard?.();
  };

  return {
    products,
    async commit() {
      requireOpen();
      state = "committing";
      const plan = planCommit(seen.values());
      try {
        if (plan.products.length > 0 || plan.events.length > 0) await storage.save(plan);
        // Nothing to write: the storage only needs to take back what it lent.
        else await storage.discard?.();
      } catch (error) {
        await end("rolled back");
        throw error;
      }
      state = "committed";
      seen.clear();
      committedEvents = plan.events;
    },
    collectNewEvents() {
      const events = committedEvents;
      committedEvents = [];
      return events;
    },
    async rollback() {
      requireOpen();
      await end("rolled back");
    },
    async [asyncDispose]() {
      if (state === "open") await end("rolled back");
    },
  };
}

// What to write: the products whose version moved or that are new, with their
// changes, and the events of every product seen, merged in the order recorded.
function planCommit(seen: Iterable<Seen>): CommitPlan {
  const products: ProductChanges[] = [];
  const events: (readonly [number, DomainEvent])[] = [];
  for (const { product, readVersion } of seen) {
    for (const recorded of product._takeEventsInOrder()) events.push(recorded);
    if (readVersion === product.versionNumber) continue;
    const changes = product._changes();
    if (readVersion === null || changes === undefined) {
      const batches = product.batches;
      products.push({
        product,
        readVersion,
        addedBatches: batches,
        changedQuantities: [],
        deallocated: [],
        allocated: batches.flatMap((batch) =>
          batch.allocations.map((line) => ({ line, batchref: batch.reference })),
        ),
      });
    } else {
      products.push({ product, readVersion, ...changes });
    }
  }
  events.sort((a, b) => a[0] - b[0]);
  return { products, events: events.map(([, event]) => event) };
}

function requireStorage(storage: unknown): void {
  const methods = requireRecord(storage, "storage");
  for (const method of ["load", "skuOfBatch", "skusOfOrder", "save"] as const) {
    if (typeof methods[method] !== "function") {
      throw new ValidationError(`storage.${method}`, methods[method], "a function");
    }
  }
}
