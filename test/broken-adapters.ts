import {
  ConcurrencyConflict,
  type DomainEvent,
  DuplicateProduct,
  Product,
  type ProductJSON,
  type ProductRepository,
  type UnitOfWork,
  UnitOfWorkClosed,
} from "cosmic-allocation";

/** The ways a naive adapter can break the port's semantics; each flag breaks one rule. */
export interface Flaws {
  /** Hands out the stored objects themselves instead of private copies. */
  readonly sharesObjects?: boolean;
  /** Commits without comparing versions. */
  readonly ignoresVersions?: boolean;
  /** Saves changes on dispose as if dispose were commit. */
  readonly commitsOnDispose?: boolean;
  /** Writes the products one by one and stops at the first conflict. */
  readonly partialCommit?: boolean;
  /** Keeps working after commit or rollback. */
  readonly neverCloses?: boolean;
  /** Returns a new object on each get. */
  readonly noIdentityMap?: boolean;
  /** Throws from dispose, even after commit. */
  readonly disposeThrows?: boolean;
  /** Returns a fresh copy from getByBatchRef instead of the object get returned. */
  readonly byRefCopies?: boolean;
  /** Loses the order of batches when it stores a product. */
  readonly sortsBatches?: boolean;
  /** Hands out events product by product instead of in the order they were recorded. */
  readonly eventsByProduct?: boolean;
}

/**
 * A small JSON-backed adapter, correct unless told to be wrong: the contract
 * kit's own tests use it to show that each check fails for the flaw it names.
 */
export class NaiveStore {
  readonly #rows = new Map<string, ProductJSON>();
  readonly #objects = new Map<string, Product>();

  constructor(readonly flaws: Flaws = {}) {}

  unitOfWork(): UnitOfWork {
    const seen = new Map<string, { product: Product; read: number | null }>();
    let open = true;
    const flaws = this.flaws;
    const rows = this.#rows;
    const objects = this.#objects;
    const requireOpen = (): void => {
      if (!open && !flaws.neverCloses) throw new UnitOfWorkClosed("committed");
    };
    const load = (sku: string): Product | undefined => {
      const known = seen.get(sku);
      if (known !== undefined && !flaws.noIdentityMap) return known.product;
      const row = rows.get(sku);
      if (row === undefined) return undefined;
      const product = flaws.sharesObjects ? (objects.get(sku) as Product) : Product.fromJSON(row);
      seen.set(sku, { product, read: row.versionNumber });
      return product;
    };
    const save = (): void => {
      const changed = [...seen.values()].filter(
        ({ product, read }) => product.versionNumber !== read || flaws.sharesObjects,
      );
      if (!flaws.partialCommit && !flaws.ignoresVersions) {
        for (const { product, read } of changed) {
          if ((rows.get(product.sku)?.versionNumber ?? null) !== read)
            throw new ConcurrencyConflict(product.sku);
        }
      }
      for (const { product, read } of changed) {
        if (flaws.partialCommit && (rows.get(product.sku)?.versionNumber ?? null) !== read) {
          throw new ConcurrencyConflict(product.sku);
        }
        const json = product.toJSON();
        rows.set(
          product.sku,
          flaws.sortsBatches
            ? {
                ...json,
                batches: [...json.batches].sort((a, b) => a.reference.localeCompare(b.reference)),
              }
            : json,
        );
        objects.set(product.sku, product);
      }
    };
    const products: ProductRepository = {
      add: async (product) => {
        requireOpen();
        if (seen.has(product.sku) || rows.has(product.sku)) throw new DuplicateProduct(product.sku);
        seen.set(product.sku, { product, read: null });
      },
      get: async (sku) => {
        requireOpen();
        return load(sku);
      },
      getByBatchRef: async (reference) => {
        requireOpen();
        if (!flaws.byRefCopies) {
          for (const { product } of seen.values()) if (product.getBatch(reference)) return product;
        }
        for (const [sku, row] of rows) {
          if (row.batches.some((batch) => batch.reference === reference)) {
            return flaws.byRefCopies ? Product.fromJSON(row) : load(sku);
          }
        }
        return undefined;
      },
      getByOrder: async (orderid) => {
        requireOpen();
        const found: Product[] = [];
        for (const sku of [...rows.keys()].sort()) {
          const product = await load(sku);
          if (product !== undefined && product.linesOf(orderid).length > 0) found.push(product);
        }
        return found;
      },
    };
    let events: DomainEvent[] = [];
    return {
      products,
      commit: async () => {
        requireOpen();
        try {
          save();
          events = flaws.eventsByProduct
            ? [...seen.values()].flatMap(({ product }) => [...product.takeEvents()])
            : [...seen.values()]
                .flatMap(({ product }) => [...product._takeEventsInOrder()])
                .sort((a, b) => a[0] - b[0])
                .map(([, event]) => event);
        } finally {
          open = false;
        }
      },
      collectNewEvents: () => {
        const taken = events;
        events = [];
        return taken;
      },
      rollback: async () => {
        requireOpen();
        open = false;
      },
      [Symbol.asyncDispose]: async () => {
        if (flaws.disposeThrows) throw new Error("dispose failed");
        if (open && flaws.commitsOnDispose) save();
        open = false;
      },
    };
  }
}
