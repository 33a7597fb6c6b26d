import { isPreferredOver, preferenceRank } from "./allocation-preference";
import type { Batch } from "./batch";
import { lineKey, type OrderLine } from "./order-line";

// Below this many batches, asking each batch whether it holds a line is as
// cheap as a map of every line, and nothing has to be copied per line.
const HOLDERS_FROM = 8;

/**
 * The index a {@link Product} keeps over its batches so that allocation does
 * not scan them: a max-tree of available quantities over the batches in
 * preference order, which finds the first batch that can take a quantity in
 * O(log n), and, for products with many batches, which batch holds each line.
 *
 * Its owner changes the batches and tells the index after each change
 * ({@link StockIndex.allocated}, {@link StockIndex.deallocated},
 * {@link StockIndex.resized}); no one else holds them. A copy shares its line map with the original until one of them
 * writes to it, so copying costs O(batches), not O(lines).
 *
 * @internal
 */
export class StockIndex {
  readonly #batches = new Map<string, Batch>();
  // Batches in preference order (warehouse, then eta; ties in insertion order) and their etas.
  #order: Batch[] = [];
  #etas: number[] = [];
  // Line key to the reference of the batch that holds the line; only from HOLDERS_FROM batches.
  #holders: Map<string, string> | undefined;
  #holdersShared = false;
  // Rebuilt lazily after a batch is added: adding is rare, allocating is not.
  #stale = true;
  #leaves = 1;
  #tree = new Float64Array(2);
  // Batch reference to its leaf in the tree.
  #position = new Map<string, number>();

  /** Adds a batch, with the lines it holds. */
  add(batch: Batch): void {
    const eta = preferenceRank(batch);
    const at = this.#firstLaterThan(eta);
    this.#order.splice(at, 0, batch);
    this.#etas.splice(at, 0, eta);
    this.#batches.set(batch.reference, batch);
    if (this.#holders !== undefined) this.#hold(batch);
    else if (this.#batches.size >= HOLDERS_FROM) {
      this.#holders = new Map();
      for (const held of this.#batches.values()) this.#hold(held);
    }
    this.#stale = true;
  }

  /**
   * The same index over copies of its batches: `copies` maps each reference
   * to the copy that replaces the batch.
   */
  copy(copies: ReadonlyMap<string, Batch>): StockIndex {
    const index = new StockIndex();
    for (const [reference, batch] of copies) index.#batches.set(reference, batch);
    index.#order = this.#order.map((batch) => copies.get(batch.reference) as Batch);
    index.#etas = [...this.#etas];
    index.#holders = this.#holders;
    index.#holdersShared = true;
    this.#holdersShared = true;
    index.#stale = this.#stale;
    index.#leaves = this.#leaves;
    index.#tree = this.#tree.slice();
    index.#position = new Map(this.#position);
    return index;
  }

  /** The batch that holds a line equal to `line`, if any. */
  holderOf(line: OrderLine): Batch | undefined {
    if (this.#holders === undefined) {
      for (const batch of this.#batches.values()) if (batch.isAllocated(line)) return batch;
      return undefined;
    }
    const reference = this.#holders.get(lineKey(line));
    return reference === undefined ? undefined : this.#batches.get(reference);
  }

  /** The first batch in preference order with at least `qty` available, if any. */
  firstThatFits(qty: number): Batch | undefined {
    if (this.#stale) this.#rebuild();
    const tree = this.#tree;
    if ((tree[1] as number) < qty) return undefined;
    let node = 1;
    while (node < this.#leaves) {
      node *= 2;
      if ((tree[node] as number) < qty) node += 1;
    }
    return this.#order[node - this.#leaves];
  }

  /** The largest quantity any one batch has available; 0 with no batch. */
  largestAvailable(): number {
    if (this.#stale) this.#rebuild();
    return Math.max(0, this.#tree[1] as number);
  }

  /** Told after `line` was allocated to `batch`. */
  allocated(batch: Batch, line: OrderLine): void {
    this.#ownHolders()?.set(lineKey(line), batch.reference);
    this.#refresh(batch);
  }

  /** Told after `batch` released `line`. */
  deallocated(batch: Batch, line: OrderLine): void {
    const key = lineKey(line);
    if (this.#holders?.get(key) === batch.reference) this.#ownHolders()?.delete(key);
    this.#refresh(batch);
  }

  /** Told after `batch`'s purchased quantity changed (the lines it released are told one by one). */
  resized(batch: Batch): void {
    this.#refresh(batch);
  }

  // Should two batches hold the same line, the first added answers, as in `allocate`.
  #hold(batch: Batch): void {
    const holders = this.#ownHolders() as Map<string, string>;
    for (const line of batch.allocations) {
      const key = lineKey(line);
      if (!holders.has(key)) holders.set(key, batch.reference);
    }
  }

  #ownHolders(): Map<string, string> | undefined {
    if (this.#holdersShared && this.#holders !== undefined) {
      this.#holders = new Map(this.#holders);
      this.#holdersShared = false;
    }
    return this.#holders;
  }

  // Upper bound: a new batch goes after every batch with the same eta.
  #firstLaterThan(eta: number): number {
    let low = 0;
    let high = this.#etas.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (!isPreferredOver(eta, this.#etas[middle] as number)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #rebuild(): void {
    const count = this.#order.length;
    let leaves = 1;
    while (leaves < count) leaves *= 2;
    const tree = new Float64Array(2 * leaves).fill(-1);
    this.#position.clear();
    this.#order.forEach((batch, index) => {
      tree[leaves + index] = batch.availableQuantity;
      this.#position.set(batch.reference, leaves + index);
    });
    for (let node = leaves - 1; node >= 1; node--) {
      tree[node] = Math.max(tree[2 * node] as number, tree[2 * node + 1] as number);
    }
    this.#leaves = leaves;
    this.#tree = tree;
    this.#stale = false;
  }

  #refresh(batch: Batch): void {
    if (this.#stale) return;
    const tree = this.#tree;
    // Every batch added has a position once the tree is built.
    let node = this.#position.get(batch.reference) as number;
    tree[node] = batch.availableQuantity;
    node >>= 1;
    while (node >= 1) {
      tree[node] = Math.max(tree[2 * node] as number, tree[2 * node + 1] as number);
      node >>= 1;
    }
  }
}
