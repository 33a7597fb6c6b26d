import type { Product } from "../domain/product";
import { requireRecord, requireText } from "../domain/validate";
import { ConcurrencyConflict } from "../errors/concurrency-conflict";
import { DuplicateBatch } from "../errors/duplicate-batch";
import { ValidationError } from "../errors/validation-error";
import type { OutboxEntry, RelayOptions } from "../ports/outbox";
import type { CommitPlan, ProductChanges, ProductStorage } from "../ports/product-storage";
import { trackUnitOfWork } from "../ports/track-unit-of-work";
import type { UnitOfWork } from "../ports/unit-of-work";
import { AllocationsView, type OrderLineAllocation } from "./allocations-view";
import { InMemoryOutbox } from "./in-memory-outbox";

/**
 * The options of an {@link InMemoryStore}.
 *
 * @example
 * ```ts
 * import { InMemoryStore, type InMemoryStoreOptions } from "cosmic-allocation";
 *
 * const options: InMemoryStoreOptions = { outbox: true };
 * const store = new InMemoryStore(options);
 * ```
 */
export interface InMemoryStoreOptions {
  /** Keep committed events until a relay delivers them; false by default. */
  readonly outbox?: boolean;
}

/**
 * A real in-memory store of products, with units of work that keep the
 * semantics of the {@link UnitOfWork} port: private copies per unit of work,
 * atomic commits, optimistic concurrency on the product's version, and
 * rollback by default. It also keeps what the PostgreSQL adapter keeps: an
 * outbox of committed events with a {@link InMemoryStore.relay}, an index of
 * orders, and the allocations read model. Browser-safe: frontends use it for
 * what-if work, tests and prototypes use it in place of a database.
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
 * console.log(uow.collectNewEvents().map((event) => event.type)); // ["Allocated"]
 *
 * const check = store.unitOfWork();
 * console.log((await check.products.get("LAMP"))?.versionNumber); // 1
 * await check.rollback();
 * ```
 */
export class InMemoryStore {
  readonly #storage: InMemoryStorage;

  /**
   * @param options - `outbox: true` keeps every committed event until a
   *   {@link InMemoryStore.relay} delivers it, as the PostgreSQL adapter does
   *   (for tests that run the production code path). Off by default, so that a
   *   store nobody relays from (a what-if page) does not grow with every event.
   * @throws {@link ValidationError} when `options` is malformed
   */
  constructor(options: InMemoryStoreOptions = {}) {
    const { outbox = false } = requireRecord(options, "options");
    if (typeof outbox !== "boolean")
      throw new ValidationError("options.outbox", outbox, "a boolean");
    this.#storage = new InMemoryStorage(outbox);
  }

  /**
   * Opens a unit of work: one transaction over the store.
   *
   * @returns a new, open unit of work
   */
  unitOfWork(): UnitOfWork {
    return trackUnitOfWork(this.#storage);
  }

  /**
   * Hands the committed events not yet delivered to `publish`, oldest first
   * and in commit order for each product, and marks those it took delivered.
   * An event whose `publish` throws (or rejects) stays undelivered, and the
   * later events of its product wait with it, until a later call. Runs that
   * overlap never hand out the same event. Delivery is at least once: a
   * consumer drops repeats by {@link OutboxEntry.id}.
   *
   * @param publish - called once per event, awaited before the next
   * @param options - `limit`: the most events this call hands out (100 by default)
   * @returns how many events were delivered
   * @throws {@link ValidationError} when an argument is malformed
   *
   * @example
   * ```ts
   * import { Batch, InMemoryStore, Product, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore({ outbox: true });
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10, eta: null }, uow);
   * await services.allocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow);
   * const delivered = await store.relay((entry) => console.log(entry.event.type)); // "Allocated"
   * console.log(delivered); // 1
   * ```
   */
  relay(
    publish: (entry: OutboxEntry) => void | Promise<void>,
    options?: RelayOptions,
  ): Promise<number> {
    const { outbox } = this.#storage;
    if (outbox === undefined) {
      return Promise.reject(
        new ValidationError("store", "no outbox", "a store made with { outbox: true }"),
      );
    }
    return outbox.relay(publish, options);
  }

  /**
   * The read model: where each line of an order is allocated, as the
   * committed `Allocated` and `Deallocated` events left it.
   *
   * @param orderid - an order id
   * @returns `[{ sku, batchref }]`, in the order the lines were allocated; empty for an unknown order
   * @throws {@link ValidationError} when `orderid` is not a non-empty string
   *
   * @example
   * ```ts
   * import { InMemoryStore, services } from "cosmic-allocation";
   *
   * const store = new InMemoryStore();
   * const uow = () => store.unitOfWork();
   * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10, eta: null }, uow);
   * await services.allocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow);
   * console.log(await store.allocationsFor("o1")); // [{ sku: "LAMP", batchref: "b1" }]
   * ```
   */
  async allocationsFor(orderid: string): Promise<readonly OrderLineAllocation[]> {
    return this.#storage.view.allocationsFor(requireText(orderid, "orderid"));
  }
}

// What the store has committed: private objects that no unit of work ever hands out.
class InMemoryStorage implements ProductStorage {
  readonly #products = new Map<string, Product>();
  readonly #skuByBatchRef = new Map<string, string>();
  // Order id to the skus holding its lines, with how many lines each holds.
  readonly #skusByOrder = new Map<string, Map<string, number>>();
  readonly outbox: InMemoryOutbox | undefined;
  readonly view = new AllocationsView();

  constructor(outbox: boolean) {
    this.outbox = outbox ? new InMemoryOutbox() : undefined;
  }

  async load(sku: string): Promise<Product | undefined> {
    // A copy shares the batches' lines until either side writes: O(batches), not O(lines).
    return this.#products.get(sku)?._clone();
  }

  async skuOfBatch(reference: string): Promise<string | undefined> {
    return this.#skuByBatchRef.get(reference);
  }

  async skusOfOrder(orderid: string): Promise<readonly string[]> {
    return [...(this.#skusByOrder.get(orderid)?.keys() ?? [])];
  }

  async save({ products, events }: CommitPlan): Promise<void> {
    this.#check(products);
    // Checked in full before anything is written, and nothing awaits in between: atomic.
    for (const changes of products) {
      const { product } = changes;
      this.#products.set(product.sku, product._clone());
      for (const batch of changes.addedBatches)
        this.#skuByBatchRef.set(batch.reference, product.sku);
      for (const { line } of changes.deallocated) this.#countOrder(line.orderid, line.sku, -1);
      for (const { line } of changes.allocated) this.#countOrder(line.orderid, line.sku, 1);
    }
    for (const event of events) this.view.apply(event);
    this.outbox?.store(events);
  }

  // A commit applies only if no product it changed moved since it was read, no
  // product it created exists, and no batch reference belongs to another product.
  #check(products: readonly ProductChanges[]): void {
    const references = new Map<string, string>();
    for (const { product, readVersion, addedBatches } of products) {
      const current = this.#products.get(product.sku);
      const moved =
        readVersion === null ? current !== undefined : current?.versionNumber !== readVersion;
      if (moved) throw new ConcurrencyConflict(product.sku);
      for (const batch of addedBatches) {
        const owner = references.get(batch.reference) ?? this.#skuByBatchRef.get(batch.reference);
        if (owner !== undefined) throw new DuplicateBatch(batch.reference);
        references.set(batch.reference, product.sku);
      }
    }
  }

  #countOrder(orderid: string, sku: string, by: 1 | -1): void {
    const skus = this.#skusByOrder.get(orderid) ?? new Map<string, number>();
    const count = (skus.get(sku) ?? 0) + by;
    if (count > 0) skus.set(sku, count);
    else skus.delete(sku);
    if (skus.size > 0) this.#skusByOrder.set(orderid, skus);
    else this.#skusByOrder.delete(orderid);
  }
}
