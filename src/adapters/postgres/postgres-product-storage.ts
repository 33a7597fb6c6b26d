import { ConcurrencyConflict, type DomainEvent, DuplicateBatch, Product } from "cosmic-allocation";
import type { CommitPlan, ProductChanges, ProductStorage } from "../../ports/product-storage";
import type { ProductCache } from "./product-cache";
import {
  LOAD_PRODUCT,
  SKU_OF_BATCH,
  SKUS_OF_ORDER,
  WRITE_CHANGED_PRODUCT,
  WRITE_EVENTS,
  WRITE_NEW_PRODUCT,
} from "./product-sql";
import type { SqlDatabase, SqlQueryable } from "./sql-client";
import { constraintOf, detailOf, sqlState } from "./sql-errors";

// A transaction that lost a race on the server: a serialization failure
// (what CockroachDB and YugabyteDB answer every lost race with) or a deadlock.
const RACE_LOST = new Set(["40001", "40P01"]);

/**
 * The storage of one unit of work over PostgreSQL: loads through the store's
 * cache of committed products, and writes each commit as O(changes)
 * statements. {@link trackUnitOfWork} does the bookkeeping around it.
 *
 * @internal
 */
export class PostgresProductStorage implements ProductStorage {
  readonly #db: SqlDatabase;
  readonly #cache: ProductCache;
  // The products this unit of work loaded, and the version each had: given
  // back to the cache when the unit of work ends with them committed or unchanged.
  readonly #loaded = new Map<string, { readonly product: Product; readonly version: number }>();

  constructor(db: SqlDatabase, cache: ProductCache) {
    this.#db = db;
    this.#cache = cache;
  }

  async load(sku: string): Promise<Product | undefined> {
    const cached = this.#cache.take(sku);
    const { rows } = await this.#db.query(LOAD_PRODUCT, [sku, cached?.version ?? -1]);
    const row = rows[0] as { version: string; product: unknown } | undefined;
    if (row === undefined) return undefined;
    let product: Product;
    if (row.product === null && cached !== undefined) {
      product = cached.product;
      // Events a previous unit of work already handed out are not this one's.
      product.takeEvents();
    } else {
      const json = typeof row.product === "string" ? JSON.parse(row.product) : row.product;
      product = Product.fromJSON(json);
    }
    this.#loaded.set(sku, { product, version: Number(row.version) });
    return product;
  }

  async skuOfBatch(reference: string): Promise<string | undefined> {
    const { rows } = await this.#db.query(SKU_OF_BATCH, [reference]);
    return (rows[0] as { sku: string } | undefined)?.sku;
  }

  async skusOfOrder(orderid: string): Promise<readonly string[]> {
    const { rows } = await this.#db.query(SKUS_OF_ORDER, [orderid]);
    return rows.map((row) => (row as { sku: string }).sku);
  }

  async save(plan: CommitPlan): Promise<void> {
    // One lock order for every commit, so that two commits never deadlock.
    const products = [...plan.products].sort((a, b) => compare(a.product.sku, b.product.sku));
    const changedSkus = new Set(products.map((changes) => changes.product.sku));
    const otherEvents = plan.events.filter((event) => !changedSkus.has(event.sku));
    const statements = products.length + (otherEvents.length > 0 ? 1 : 0);
    if (statements === 0) {
      this.#giveBack();
      return;
    }
    try {
      const run = async (db: SqlQueryable): Promise<void> => {
        for (const changes of products) {
          const events = plan.events.filter((event) => event.sku === changes.product.sku);
          await writeProduct(db, changes, events);
        }
        if (otherEvents.length > 0) await db.query(WRITE_EVENTS, eventParameters(otherEvents));
      };
      // A single statement is atomic by itself: no BEGIN/COMMIT round trips.
      if (statements === 1) await run(this.#db);
      else await this.#db.inTransaction(run);
    } catch (error) {
      for (const { product } of products) this.#cache.drop(product.sku);
      this.#loaded.clear();
      throw translate(error, products[0]?.product.sku ?? plan.events[0]?.sku ?? "");
    }
    for (const { product } of products)
      this.#loaded.set(product.sku, { product, version: product.versionNumber });
    this.#giveBack();
  }

  async discard(): Promise<void> {
    this.#giveBack();
  }

  /** Gives the cache back every loaded product still in the state it was stored in. */
  #giveBack(): void {
    for (const { product, version } of this.#loaded.values()) {
      if (product.versionNumber === version) this.#cache.put(product);
    }
    this.#loaded.clear();
  }
}

async function writeProduct(
  db: SqlQueryable,
  changes: ProductChanges,
  events: readonly DomainEvent[],
): Promise<void> {
  const { product, readVersion } = changes;
  const sql = readVersion === null ? WRITE_NEW_PRODUCT : WRITE_CHANGED_PRODUCT;
  const { rows } = await db.query(sql, [
    product.sku,
    readVersion,
    product.versionNumber,
    changes.addedBatches.map((batch) => batch.reference),
    changes.addedBatches.map((batch) => batch.purchasedQuantity),
    changes.addedBatches.map((batch) => batch.eta?.toISOString() ?? null),
    changes.changedQuantities.map((change) => change.reference),
    changes.changedQuantities.map((change) => change.qty),
    changes.deallocated.map((entry) => entry.batchref),
    changes.deallocated.map((entry) => entry.line.orderid),
    changes.deallocated.map((entry) => entry.line.qty),
    changes.allocated.map((entry) => entry.batchref),
    changes.allocated.map((entry) => entry.line.orderid),
    changes.allocated.map((entry) => entry.line.qty),
    ...eventParameters(events),
  ]);
  if ((rows[0] as { written: number } | undefined)?.written !== 1) {
    throw new ConcurrencyConflict(product.sku);
  }
}

/**
 * The outbox rows and the read model's net changes, from a commit's events in
 * the order they were recorded: a line allocated then released in one commit
 * cancels out, so the removed and added rows never overlap.
 */
function eventParameters(events: readonly DomainEvent[]): unknown[] {
  const net = new Map<
    string,
    { readonly row: readonly [string, string, number, string]; count: number }
  >();
  for (const event of events) {
    if (event.type !== "Allocated" && event.type !== "Deallocated") continue;
    const row = [event.orderid, event.sku, event.qty, event.batchref] as const;
    const key = JSON.stringify(row);
    const entry = net.get(key) ?? { row, count: 0 };
    entry.count += event.type === "Allocated" ? 1 : -1;
    net.set(key, entry);
  }
  const removed = [...net.values()].filter((entry) => entry.count < 0).map((entry) => entry.row);
  const added = [...net.values()].filter((entry) => entry.count > 0).map((entry) => entry.row);
  return [JSON.stringify(events), ...columns(removed), ...columns(added)];
}

function columns(rows: readonly (readonly [string, string, number, string])[]): unknown[] {
  return [
    rows.map((row) => row[0]),
    rows.map((row) => row[1]),
    rows.map((row) => row[2]),
    rows.map((row) => row[3]),
  ];
}

/** Turns what the server reported into the library's errors where one applies. */
function translate(error: unknown, sku: string): unknown {
  const state = sqlState(error);
  if (state === undefined) return error;
  if (RACE_LOST.has(state)) return new ConcurrencyConflict(sku);
  if (state === "23505") {
    const constraint = constraintOf(error);
    if (constraint === "batches_pkey") {
      const reference = /\(reference\)=\((.*)\)/.exec(detailOf(error))?.[1];
      return new DuplicateBatch(reference ?? "");
    }
    // Two commits creating one sku at once, where the engine reports the race
    // as a unique violation rather than waiting.
    if (constraint === "products_pkey") return new ConcurrencyConflict(sku);
  }
  return error;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
