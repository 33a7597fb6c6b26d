import type { Product } from "cosmic-allocation";

/**
 * The last committed state of recently used products, so that a unit of work
 * does not re-read a product's whole history to allocate one more line. An
 * entry is only a candidate: the load that takes it checks the stored version
 * in the same round trip, and uses it only if no one (another store, another
 * instance) committed the product since.
 *
 * Each product object is lent to one unit of work at a time: `take` removes
 * it, and the unit of work gives it back with `put` once it knows the
 * product's state is committed (or unchanged). A product that was rolled back
 * or lost a race is never given back. Bounded: the least recently used entry
 * goes first when the cache is full.
 *
 * @internal
 */
export class ProductCache {
  readonly #capacity: number;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  readonly #entries = new Map<string, CachedProduct>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Removes and returns the entry of a sku, if it is still as it was cached. */
  take(sku: string): CachedProduct | undefined {
    const entry = this.#entries.get(sku);
    if (entry === undefined) return undefined;
    this.#entries.delete(sku);
    // Every change raises the version: an object changed after it was cached
    // (through a reference kept past its unit of work) is not the committed state.
    return entry.product.versionNumber === entry.version ? entry : undefined;
  }

  /** Keeps a product's committed state, evicting the least recently used beyond capacity. */
  put(product: Product, tally: Tally): void {
    if (this.#capacity === 0) return;
    const sku = product.sku;
    this.#entries.delete(sku);
    this.#entries.set(sku, { product, version: product.versionNumber, tally });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Forgets a sku: its cached state may no longer be the stored one. */
  drop(sku: string): void {
    this.#entries.delete(sku);
  }
}

/** @internal */
export interface CachedProduct {
  readonly product: Product;
  /** The version the product had when it was committed. */
  readonly version: number;
  /** The product row's counters at that version. */
  readonly tally: Tally;
}

/**
 * The counters a product's row keeps beside its version: how many versions
 * commits that record their released lines advanced, and how many lines they
 * recorded. Between two versions, they tell whether `released_lines` holds
 * every line released in between.
 *
 * @internal
 */
export interface Tally {
  readonly loggedVersions: number;
  readonly loggedReleases: number;
}
