import { DuplicateBatch } from "../errors/duplicate-batch";
import { OutOfStock } from "../errors/out-of-stock";
import { SkuMismatch } from "../errors/sku-mismatch";
import { UnknownBatch } from "../errors/unknown-batch";
import { ValidationError } from "../errors/validation-error";
import { Batch, type BatchJSON, requireBatch } from "./batch";
import { type BatchView, viewOf } from "./batch-view";
import { allocated, type DomainEvent, deallocated, outOfStock } from "./events";
import { lineKey, type OrderLine, requireOrderLine } from "./order-line";
import {
  type LineAllocation,
  type ProductChangeSet,
  type ProductChangeSummary,
  recordChanges,
} from "./product-changes";

export type { LineAllocation } from "./product-changes";

import { StockIndex } from "./stock-index";
import {
  readNested,
  requireArray,
  requireBranded,
  requireItems,
  requireQuantity,
  requireRecord,
  requireText,
} from "./validate";

/**
 * The JSON form of a {@link Product}, as {@link Product.toJSON} writes it.
 *
 * @example
 * ```ts
 * import { Batch, Product, type ProductJSON } from "cosmic-allocation";
 *
 * const json: ProductJSON = new Product("LAMP", [new Batch("b1", "LAMP", 10)]).toJSON();
 * console.log(json.versionNumber, json.batches.map((batch) => batch.reference)); // 0 ["b1"]
 * ```
 */
export interface ProductJSON {
  /** The product's sku. */
  readonly sku: string;
  /** The version number, for optimistic concurrency. */
  readonly versionNumber: number;
  /** The batches, in the order they were added (the tie-break order of allocation). */
  readonly batches: readonly BatchJSON[];
}

/**
 * What {@link Product.changeBatchQuantity} did to the lines the batch could no longer hold.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, Product, type BatchQuantityChange } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
 * product.allocate(new OrderLine("o1", "LAMP", 4));
 * const change: BatchQuantityChange = product.changeBatchQuantity("b1", 2);
 * console.log(change.moved, change.unallocated.map((line) => line.orderid)); // [] ["o1"]
 * ```
 */
export interface BatchQuantityChange {
  /** The batch whose quantity changed. */
  readonly reference: string;
  /** Lines released by the batch and allocated to another batch of the product. */
  readonly moved: readonly LineAllocation[];
  /** Lines released by the batch that no batch of the product could take. */
  readonly unallocated: readonly OrderLine[];
}

/**
 * What the commits between two stored versions of a product wrote, for
 * {@link Product._catchUp}.
 *
 * @internal
 */
export interface CommittedChanges {
  /** The later stored version. */
  readonly versionNumber: number;
  /** Every stored batch of the product, in the order added; a new one holds no line. */
  readonly batches: readonly Batch[];
  /** The lines released since the earlier version, in any order. */
  readonly released: readonly LineAllocation[];
  /** The lines placed since the earlier version and still held, each batch's oldest first. */
  readonly placed: readonly LineAllocation[];
}

/**
 * The aggregate: every batch of one sku, the consistency boundary of allocation.
 *
 * It is sealed: the batches it holds are its own copies, and what
 * {@link Product.batches} and {@link Product.getBatch} hand out are read-only
 * {@link BatchView}s, so stock changes only through its methods. Each change
 * raises {@link Product.versionNumber}, which a unit of work compares on
 * commit to detect that another transaction changed the product meanwhile,
 * and records {@link DomainEvent}s. Allocation uses an index over the
 * batches: it costs O(log n) in the number of batches, not a scan.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, Product } from "cosmic-allocation";
 *
 * const product = new Product("RETRO-CLOCK", [
 *   new Batch("shipment-batch", "RETRO-CLOCK", 100, new Date("2026-12-01")),
 *   new Batch("in-stock-batch", "RETRO-CLOCK", 100),
 * ]);
 * console.log(product.allocate(new OrderLine("oref", "RETRO-CLOCK", 10))); // "in-stock-batch"
 * console.log(product.versionNumber); // 1
 * ```
 */
export class Product {
  readonly #sku: string;
  #version: number;
  readonly #batches: Batch[] = [];
  readonly #byReference = new Map<string, Batch>();
  readonly #views = new Map<string, BatchView>();
  #index = new StockIndex();
  #events: DomainEvent[] = [];
  // When each event was recorded, across every product: a unit of work hands
  // out the events of all its products in this order.
  #eventOrder: number[] = [];
  // What changed since a unit of work started tracking the product; undefined when untracked.
  #changes: ProductChangeSet | undefined;

  /**
   * Creates the aggregate of one sku from copies of the given batches:
   * changing a `Batch` afterwards does not touch the product.
   *
   * @param sku - the product's sku; a non-empty string
   * @param batches - its batches, all of that sku with distinct references; their order breaks ties in allocation
   * @param versionNumber - the version read from storage; 0 for a new product
   * @throws {@link SkuMismatch} when a batch is of another sku
   * @throws {@link DuplicateBatch} when two batches share a reference
   * @throws {@link ValidationError} when an argument is malformed or a line is allocated to two batches
   */
  constructor(sku: string, batches: Iterable<Batch> = [], versionNumber = 0) {
    this.#sku = requireText(sku, "sku");
    this.#version = requireQuantity(versionNumber, "versionNumber");
    const accepted: Batch[] = [];
    const references = new Set<string>();
    const lines = new Set<string>();
    let index = 0;
    for (const candidate of requireItems(batches, "batches", "an iterable of Batch")) {
      const batch = requireBatch(candidate, `batches[${index}]`);
      if (batch.sku !== this.#sku) throw new SkuMismatch(this.#sku, batch.sku);
      if (references.has(batch.reference)) throw new DuplicateBatch(batch.reference);
      references.add(batch.reference);
      for (const line of batch.allocations) {
        const key = lineKey(line);
        if (lines.has(key)) {
          throw new ValidationError(
            `batches[${index}]`,
            batch,
            "batches that hold each order line once",
          );
        }
        lines.add(key);
      }
      accepted.push(batch._clone());
      index += 1;
    }
    for (const batch of accepted) this.#take(batch);
  }

  /** The product's sku. */
  get sku(): string {
    return this.#sku;
  }

  /** Raised by every change, for optimistic concurrency: a unit of work commits only if it has not moved meanwhile. */
  get versionNumber(): number {
    return this.#version;
  }

  /** Read-only views of the batches, in the order they were added, as a fresh array. */
  get batches(): readonly BatchView[] {
    return this.#batches.map((batch) => this.#viewOf(batch));
  }

  /** The events recorded since the product was created or last {@link Product.takeEvents | drained}, oldest first. */
  get events(): readonly DomainEvent[] {
    return [...this.#events];
  }

  /**
   * Returns the recorded events and forgets them, as a unit of work does when
   * it collects them on commit.
   *
   * @returns the events, oldest first
   */
  takeEvents(): readonly DomainEvent[] {
    const events = this.#events;
    this.#events = [];
    this.#eventOrder = [];
    return events;
  }

  /**
   * Finds a batch by reference.
   *
   * @param reference - the batch reference
   * @returns a read-only view of the batch, or undefined if the product has none with that reference
   */
  getBatch(reference: string): BatchView | undefined {
    const batch = this.#byReference.get(reference);
    return batch === undefined ? undefined : this.#viewOf(batch);
  }

  /**
   * The lines of one order that the product holds, with their batches. Scans
   * the product's lines: O(lines held), with no storage behind it.
   *
   * @param orderid - an order id
   * @returns the order's lines of this sku and where each is allocated, oldest batch first; empty when none
   *
   * @example
   * ```ts
   * import { Batch, OrderLine, Product } from "cosmic-allocation";
   *
   * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
   * product.allocate(new OrderLine("o1", "LAMP", 4));
   * console.log(product.linesOf("o1").map(({ batchref }) => batchref)); // ["b1"]
   * ```
   */
  linesOf(orderid: string): readonly LineAllocation[] {
    requireText(orderid, "orderid");
    const found: LineAllocation[] = [];
    for (const batch of this.#batches) {
      for (const line of batch.allocations) {
        if (line.orderid === orderid) found.push({ line, batchref: batch.reference });
      }
    }
    return found;
  }

  /**
   * Tells whether {@link Product.allocate} would place a line now (or finds it
   * already placed), without changing anything.
   *
   * @param line - an order line of the product's sku
   * @returns true when allocating it would succeed
   * @throws {@link SkuMismatch} when the line is for another sku
   * @throws {@link ValidationError} when `line` is not an OrderLine
   *
   * @example
   * ```ts
   * import { Batch, OrderLine, Product } from "cosmic-allocation";
   *
   * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
   * console.log(product.canAllocate(new OrderLine("o1", "LAMP", 10))); // true
   * console.log(product.canAllocate(new OrderLine("o1", "LAMP", 11))); // false
   * ```
   */
  canAllocate(line: OrderLine): boolean {
    this.#requireOwnLine(line);
    return (
      this.#index.holderOf(line) !== undefined || this.#index.firstThatFits(line.qty) !== undefined
    );
  }

  /**
   * The most that one line can be allocated now: the largest available
   * quantity of any one batch (a line is never split across batches).
   *
   * @example
   * ```ts
   * import { Batch, Product } from "cosmic-allocation";
   *
   * const product = new Product("LAMP", [new Batch("b1", "LAMP", 3), new Batch("b2", "LAMP", 5)]);
   * console.log(product.largestAvailableQuantity); // 5
   * ```
   */
  get largestAvailableQuantity(): number {
    return this.#index.largestAvailable();
  }

  /**
   * Allocates an order line to the preferred batch that can take it: warehouse
   * stock first, then the earliest eta, ties in the order the batches were added.
   * Raises the version by one. A line the product already holds is not
   * allocated again: its batch's reference is returned and nothing changes.
   *
   * @param line - the order line, of the product's sku
   * @returns the reference of the batch that holds the line
   * @throws {@link OutOfStock} when no batch can take the line (an `OutOfStock` event is recorded)
   * @throws {@link SkuMismatch} when the line is for another sku
   * @throws {@link ValidationError} when `line` is not an OrderLine
   */
  allocate(line: OrderLine): string {
    this.#requireOwnLine(line);
    const holder = this.#index.holderOf(line);
    if (holder !== undefined) return holder.reference;
    const batch = this.#index.firstThatFits(line.qty);
    if (batch === undefined) {
      this.#record(outOfStock(line));
      throw new OutOfStock(this.#sku);
    }
    this.#allocateTo(batch, line);
    this.#version += 1;
    this.#record(allocated(line, batch.reference));
    return batch.reference;
  }

  /**
   * Releases an order line from the batch that holds it. Raises the version by
   * one; releasing a line the product does not hold changes nothing.
   *
   * @param line - the order line, of the product's sku
   * @returns the reference of the batch that held it, or null if none did
   * @throws {@link SkuMismatch} when the line is for another sku
   * @throws {@link ValidationError} when `line` is not an OrderLine
   *
   * @example
   * ```ts
   * import { Batch, OrderLine, Product } from "cosmic-allocation";
   *
   * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
   * const line = new OrderLine("o1", "LAMP", 4);
   * product.allocate(line);
   * console.log(product.deallocate(line), product.deallocate(line)); // "b1" null
   * ```
   */
  deallocate(line: OrderLine): string | null {
    this.#requireOwnLine(line);
    const holder = this.#index.holderOf(line);
    if (holder === undefined) return null;
    this.#release(holder, line);
    this.#version += 1;
    this.#record(deallocated(line, holder.reference));
    return holder.reference;
  }

  /**
   * Adds a copy of a batch to the product and raises the version by one:
   * changing the `Batch` afterwards does not touch the product.
   *
   * @param batch - a batch of the product's sku whose reference is new to the product
   * @throws {@link SkuMismatch} when the batch is of another sku
   * @throws {@link DuplicateBatch} when the product already has a batch with that reference
   * @throws {@link ValidationError} when `batch` is not a Batch or holds a line another batch holds
   *
   * @example
   * ```ts
   * import { Batch, Product } from "cosmic-allocation";
   *
   * const product = new Product("LAMP");
   * product.addBatch(new Batch("b1", "LAMP", 10));
   * console.log(product.batches.length, product.versionNumber); // 1 1
   * ```
   */
  addBatch(batch: Batch): void {
    requireBatch(batch, "batch");
    if (batch.sku !== this.#sku) throw new SkuMismatch(this.#sku, batch.sku);
    if (this.#byReference.has(batch.reference)) throw new DuplicateBatch(batch.reference);
    for (const line of batch.allocations) {
      if (this.#index.holderOf(line) !== undefined) {
        throw new ValidationError(
          "batch",
          batch,
          "a batch holding no line the product already holds",
        );
      }
    }
    const own = batch._clone();
    this.#take(own);
    this.#changes?.batchAdded(own);
    this.#version += 1;
  }

  /**
   * Sets a batch's purchased quantity. If the batch is then over-allocated it
   * releases its most recently allocated lines until it is not, and each
   * released line, oldest first, is allocated again within the product by the
   * usual rule (possibly back to the same batch). Raises the version by one
   * when the quantity changes; records `Deallocated` and `Allocated` events for
   * each line that moved, `Deallocated` and `OutOfStock` for each left unallocated.
   *
   * @param reference - the batch's reference
   * @param qty - the new purchased quantity; a non-negative safe integer
   * @returns which lines moved to which batch, and which no batch could take
   * @throws {@link UnknownBatch} when the product has no batch with that reference
   * @throws {@link ValidationError} when an argument is malformed
   *
   * @example
   * ```ts
   * import { Batch, OrderLine, Product } from "cosmic-allocation";
   *
   * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10), new Batch("b2", "LAMP", 5)]);
   * product.allocate(new OrderLine("o1", "LAMP", 6));
   * product.allocate(new OrderLine("o2", "LAMP", 4));
   * const change = product.changeBatchQuantity("b1", 6);
   * console.log(change.moved.map(({ line, batchref }) => `${line.orderid} -> ${batchref}`)); // ["o2 -> b2"]
   * ```
   */
  changeBatchQuantity(reference: string, qty: number): BatchQuantityChange {
    requireText(reference, "reference");
    requireQuantity(qty, "qty");
    const batch = this.#byReference.get(reference);
    if (batch === undefined) throw new UnknownBatch(reference);
    const moved: LineAllocation[] = [];
    const unallocated: OrderLine[] = [];
    if (qty !== batch.purchasedQuantity) {
      const released = batch.changePurchasedQuantity(qty);
      this.#index.resized(batch);
      this.#changes?.quantityChanged(batch);
      for (const line of released) {
        this.#index.deallocated(batch, line);
        this.#changes?.deallocated(batch, line);
      }
      this.#version += 1;
      for (let index = released.length - 1; index >= 0; index--) {
        const line = released[index] as OrderLine;
        const target = this.#index.firstThatFits(line.qty);
        if (target !== undefined) this.#allocateTo(target, line);
        if (target === batch) continue;
        this.#record(deallocated(line, reference));
        if (target === undefined) {
          unallocated.push(line);
          this.#record(outOfStock(line));
        } else {
          moved.push({ line, batchref: target.reference });
          this.#record(allocated(line, target.reference));
        }
      }
    }
    return { reference, moved, unallocated };
  }

  /**
   * Returns the product as plain JSON data. Events are not part of it: they are
   * published, not stored.
   *
   * @returns the product's {@link ProductJSON}
   */
  toJSON(): ProductJSON {
    return {
      sku: this.#sku,
      versionNumber: this.#version,
      batches: this.#batches.map((batch) => batch.toJSON()),
    };
  }

  /**
   * Reads a product from JSON data, validating every field.
   *
   * @param json - data of the form {@link ProductJSON}
   * @returns the product, its batches in the order listed
   * @throws {@link ValidationError} naming the first invalid field
   * @throws {@link SkuMismatch} when a batch is of another sku
   * @throws {@link DuplicateBatch} when two batches share a reference
   *
   * @example
   * ```ts
   * import { Batch, OrderLine, Product } from "cosmic-allocation";
   *
   * const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
   * product.allocate(new OrderLine("o1", "LAMP", 4));
   * const copy = Product.fromJSON(JSON.parse(JSON.stringify(product)));
   * console.log(copy.versionNumber, copy.getBatch("b1")?.availableQuantity); // 1 6
   * ```
   */
  static fromJSON(json: unknown): Product {
    const record = requireRecord(json, "product");
    const sku = requireText(record.sku, "sku");
    const versionNumber = requireQuantity(record.versionNumber, "versionNumber");
    const batches = requireArray(record.batches, "batches").map((item, index) =>
      readNested(`batches[${index}]`, "batch", () => Batch.fromJSON(item)),
    );
    return new Product(sku, batches, versionNumber);
  }

  /**
   * An independent copy of the product, its batches and its index, without
   * its events and untracked. Costs a few native map copies per batch, not a
   * loop over every line: units of work copy products on every read and commit.
   *
   * @internal
   */
  _clone(): Product {
    const copy = new Product(this.#sku, [], this.#version);
    for (const batch of this.#batches) {
      const clone = batch._clone();
      copy.#batches.push(clone);
      copy.#byReference.set(clone.reference, clone);
    }
    copy.#index = this.#index.copy(copy.#byReference);
    return copy;
  }

  /**
   * Brings a product that held a stored version up to a later stored version,
   * from what the commits in between wrote: the stored batches (new ones are
   * added in order, the others take their quantity), the lines released since
   * (a line no batch holds is skipped: it was placed and released in between),
   * then the lines placed since, each batch's oldest first (appended, they
   * keep the order a whole read gives). Records no change and no event.
   * Returns false, with the product left half-changed (the caller discards
   * it), when the changes do not fit the product: a batch missing from the
   * stored ones, a placed line still held (a release is missing), a batch that
   * cannot take a placed line. A storage adapter uses it to keep a cached
   * product current without reading every line again.
   *
   * @internal
   */
  _catchUp(changes: CommittedChanges): boolean {
    for (const { line, batchref } of changes.released) {
      const batch = this.#byReference.get(batchref);
      if (batch?.deallocate(line)) this.#index.deallocated(batch, line);
    }
    const stored = new Set<string>();
    for (const each of changes.batches) {
      stored.add(each.reference);
      const batch = this.#byReference.get(each.reference);
      if (batch === undefined) {
        if (each.sku !== this.#sku || each.allocations.length > 0) return false;
        this.#take(each._clone());
      } else if (batch.purchasedQuantity !== each.purchasedQuantity) {
        // The lines still held fit the new quantity, since the stored state
        // holds them and more: a resize that releases anything means a gap.
        if (batch.changePurchasedQuantity(each.purchasedQuantity).length > 0) return false;
        this.#index.resized(batch);
      }
    }
    if (this.#batches.some((batch) => !stored.has(batch.reference))) return false;
    for (const { line, batchref } of changes.placed) {
      const batch = this.#byReference.get(batchref);
      if (batch === undefined || this.#index.holderOf(line) !== undefined) return false;
      if (line.sku !== this.#sku || !batch.canAllocate(line)) return false;
      batch.allocate(line);
      this.#index.allocated(batch, line);
    }
    this.#version = changes.versionNumber;
    return true;
  }

  /**
   * Starts recording what changes from now on, for {@link Product._changes}.
   * A unit of work calls it when it loads the product.
   *
   * @internal
   */
  _track(): void {
    this.#changes = recordChanges();
  }

  /**
   * What changed since {@link Product._track}: new batches, new quantities,
   * lines released and lines placed (net, in order). Undefined when untracked.
   *
   * @internal
   */
  _changes(): ProductChangeSummary | undefined {
    return this.#changes?.summarize((batch) => this.#viewOf(batch));
  }

  /**
   * Drains the recorded events with when each was recorded, across every
   * product, so that a unit of work can merge several products' events in order.
   *
   * @internal
   */
  _takeEventsInOrder(): readonly (readonly [number, DomainEvent])[] {
    const order = this.#eventOrder;
    return this.takeEvents().map((event, index) => [order[index] as number, event] as const);
  }

  /**
   * Whether a value is a real Product of this copy of the package: a brand
   * check, false (never a throw) for a Proxy around a product or a revoked one.
   *
   * @internal
   */
  static _is(value: unknown): value is Product {
    return typeof value === "object" && value !== null && #sku in value;
  }

  #take(batch: Batch): void {
    this.#batches.push(batch);
    this.#byReference.set(batch.reference, batch);
    this.#index.add(batch);
  }

  #allocateTo(batch: Batch, line: OrderLine): void {
    batch.allocate(line);
    this.#index.allocated(batch, line);
    this.#changes?.allocated(batch, line);
  }

  #release(batch: Batch, line: OrderLine): void {
    batch.deallocate(line);
    this.#index.deallocated(batch, line);
    this.#changes?.deallocated(batch, line);
  }

  #record(event: DomainEvent): void {
    this.#events.push(event);
    recorded += 1;
    this.#eventOrder.push(recorded);
  }

  #viewOf(batch: Batch): BatchView {
    let view = this.#views.get(batch.reference);
    if (view === undefined) {
      view = viewOf(batch);
      this.#views.set(batch.reference, view);
    }
    return view;
  }

  #requireOwnLine(line: OrderLine): void {
    requireOrderLine(line, "line");
    if (line.sku !== this.#sku) throw new SkuMismatch(this.#sku, line.sku);
  }
}

// How many events every product of this copy of the package has recorded.
let recorded = 0;

/**
 * Checks that a value is a {@link Product}, for callers without types: a
 * brand check, false for a Proxy around a product.
 *
 * @internal
 */
export function requireProduct(value: unknown, field: string): Product {
  return requireBranded(value, field, "a Product (not a Proxy of one)", Product._is);
}
