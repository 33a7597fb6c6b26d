import {
  Batch,
  type CommitPlan,
  ConcurrencyConflict,
  type DomainEvent,
  DuplicateBatch,
  type LineAllocation,
  OrderLine,
  Product,
  type ProductChanges,
  type ProductStorage,
} from "cosmic-allocation";
import type { CachedProduct, ProductCache, Tally } from "./product-cache";
import {
  CHANGES_OF_PRODUCT,
  LOAD_PRODUCT,
  SKU_OF_BATCH,
  SKUS_OF_ORDER,
  VERSION_OF_PRODUCT,
  type Writes,
  writeStatement,
} from "./product-sql";
import type { SqlDatabase, SqlQueryable } from "./sql-client";
import { constraintOf, detailOf, sqlState } from "./sql-errors";

/** One line as CHANGES_OF_PRODUCT lists it. */
interface StoredLine {
  readonly batchref: string;
  readonly orderid: string;
  readonly qty: number | string;
}

/** What CHANGES_OF_PRODUCT answers when the version moved. */
interface StoredChanges {
  readonly batches: readonly {
    readonly reference: string;
    readonly qty: number | string;
    readonly eta: string | null;
    readonly placed: readonly Omit<StoredLine, "batchref">[];
  }[];
  readonly released: readonly StoredLine[];
}

/** The product row's counters, as LOAD_PRODUCT and CHANGES_OF_PRODUCT answer them. */
interface StoredTally {
  readonly logged_versions: string;
  readonly logged_releases: string;
}

function tallyOf(row: StoredTally): Tally {
  return {
    loggedVersions: Number(row.logged_versions),
    loggedReleases: Number(row.logged_releases),
  };
}

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
  // The products this unit of work loaded, with the version and tally each
  // had: given back to the cache when the unit of work ends with them
  // committed or unchanged.
  readonly #loaded = new Map<string, CachedProduct>();

  constructor(db: SqlDatabase, cache: ProductCache) {
    this.#db = db;
    this.#cache = cache;
  }

  async load(sku: string): Promise<Product | undefined> {
    const cached = this.#cache.take(sku);
    if (cached !== undefined) {
      const caught = await this.#catchUp(sku, cached);
      if (caught === "gone") return undefined;
      if (caught !== undefined) {
        this.#loaded.set(sku, caught);
        return caught.product;
      }
    }
    const { rows } = await this.#db.run(this.#db, {
      name: "cosmic_load_product",
      text: LOAD_PRODUCT,
      values: [sku, -1],
    });
    const row = rows[0] as (StoredTally & { version: string; product: unknown }) | undefined;
    if (row === undefined) return undefined;
    const json = typeof row.product === "string" ? JSON.parse(row.product) : row.product;
    const product = Product.fromJSON(json);
    this.#loaded.set(sku, { product, version: Number(row.version), tally: tallyOf(row) });
    return product;
  }

  /**
   * The cached product, brought up to the stored version: as it is when the
   * version has not moved, else with the changes committed since applied to
   * it. Undefined when that cannot be trusted (the stored version is older,
   * `released_lines` misses lines, or the changes do not fit the product):
   * then the caller reads the product whole. With prepared statements (a
   * `pg` Pool) the check and the changes are one round trip. Without
   * (PGlite, which has no network round trips but plans every statement), a
   * version check alone is far cheaper to plan, so the changes are read only
   * when the version moved.
   */
  async #catchUp(sku: string, cached: CachedProduct): Promise<CachedProduct | "gone" | undefined> {
    const { product, version, tally } = cached;
    // Events a previous unit of work left (it rolled back) are not this one's.
    product.takeEvents();
    if (!this.#db.prepares) {
      const { rows } = await this.#db.query(VERSION_OF_PRODUCT, [sku]);
      const row = rows[0] as { version: string } | undefined;
      if (row === undefined) return "gone";
      if (Number(row.version) === version) return cached;
    }
    const { rows } = await this.#db.run(this.#db, {
      name: "cosmic_changes_of_product",
      text: CHANGES_OF_PRODUCT,
      values: [sku, version],
    });
    const row = rows[0] as (StoredTally & { version: string; changes: unknown }) | undefined;
    if (row === undefined) return "gone";
    const stored = Number(row.version);
    if (stored === version) return cached;
    if (stored < version || row.changes === null) return undefined;
    const changes = (
      typeof row.changes === "string" ? JSON.parse(row.changes) : row.changes
    ) as StoredChanges;
    // Every version since ours was advanced by a commit that recorded its
    // released lines, and every line it recorded is still there: else (a
    // commit by an older adapter, rows deleted) the record is not whole.
    const now = tallyOf(row);
    if (
      now.loggedVersions - tally.loggedVersions !== stored - version ||
      now.loggedReleases - tally.loggedReleases !== changes.released.length
    ) {
      return undefined;
    }
    try {
      const line = ({ batchref, orderid, qty }: StoredLine) => ({
        batchref,
        line: new OrderLine(orderid, sku, Number(qty)),
      });
      const applied = product._catchUp({
        versionNumber: stored,
        batches: changes.batches.map(({ reference, qty, eta }) =>
          Batch.fromJSON({ reference, sku, qty: Number(qty), eta, allocations: [] }),
        ),
        released: changes.released.map(line),
        placed: changes.batches.flatMap(({ reference, placed }) =>
          placed.map(({ orderid, qty }) => line({ batchref: reference, orderid, qty })),
        ),
      });
      return applied ? { product, version: stored, tally: now } : undefined;
    } catch {
      return undefined;
    }
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
    // trackUnitOfWork calls save only with something to write.
    const statements = products.length + (otherEvents.length > 0 ? 1 : 0);
    try {
      const run = this.#db.run;
      const write = async (db: SqlQueryable): Promise<void> => {
        for (const changes of products) {
          const events = plan.events.filter((event) => event.sku === changes.product.sku);
          await writeProduct(run, db, changes, events);
        }
        if (otherEvents.length > 0) {
          await run(db, writeStatement("none", [], eventWrites(otherEvents)));
        }
      };
      // A single statement is atomic by itself: no BEGIN/COMMIT round trips.
      if (statements === 1) await write(this.#db);
      else await this.#db.inTransaction(write);
    } catch (error) {
      for (const { product } of products) this.#cache.drop(product.sku);
      this.#loaded.clear();
      throw translate(error, products[0]?.product.sku ?? plan.events[0]?.sku ?? "");
    }
    for (const { product, readVersion, deallocated } of products) {
      const before = this.#loaded.get(product.sku)?.tally;
      // The row's counters after this commit (see COMPARE_AND_SET).
      if (readVersion === null) {
        const tally = { loggedVersions: product.versionNumber, loggedReleases: deallocated.length };
        this.#loaded.set(product.sku, { product, version: product.versionNumber, tally });
      } else if (before !== undefined) {
        const tally = {
          loggedVersions: before.loggedVersions + product.versionNumber - readVersion,
          loggedReleases: before.loggedReleases + deallocated.length,
        };
        this.#loaded.set(product.sku, { product, version: product.versionNumber, tally });
      }
    }
    this.#giveBack();
  }

  async discard(): Promise<void> {
    this.#giveBack();
  }

  /** Gives the cache back every loaded product still in the state it was stored in. */
  #giveBack(): void {
    for (const { product, version, tally } of this.#loaded.values()) {
      if (product.versionNumber === version) this.#cache.put(product, tally);
    }
    this.#loaded.clear();
  }
}

async function writeProduct(
  run: SqlDatabase["run"],
  db: SqlQueryable,
  changes: ProductChanges,
  events: readonly DomainEvent[],
): Promise<void> {
  const { product, readVersion } = changes;
  const writes: Writes = { ...eventWrites(events) };
  if (changes.addedBatches.length > 0) {
    writes.added = [
      changes.addedBatches.map((batch) => batch.reference),
      changes.addedBatches.map((batch) => batch.purchasedQuantity),
      changes.addedBatches.map((batch) => batch.eta?.toISOString() ?? null),
    ];
  }
  if (changes.changedQuantities.length > 0) {
    writes.resized = [
      changes.changedQuantities.map((change) => change.reference),
      changes.changedQuantities.map((change) => change.qty),
    ];
  }
  if (changes.deallocated.length > 0) {
    writes.released = lines(changes.deallocated);
    writes.logged = writes.released;
  }
  if (changes.allocated.length > 0) writes.taken = lines(changes.allocated);
  const statement = writeStatement(
    readVersion === null ? "new" : "changed",
    [product.sku, readVersion, product.versionNumber, changes.deallocated.length],
    writes,
  );
  const { rows } = await run(db, statement);
  if ((rows[0] as { written: number } | undefined)?.written !== 1) {
    throw new ConcurrencyConflict(product.sku);
  }
}

function lines(entries: readonly LineAllocation[]): readonly (readonly unknown[])[] {
  return [
    entries.map((entry) => entry.batchref),
    entries.map((entry) => entry.line.orderid),
    entries.map((entry) => entry.line.qty),
  ];
}

/**
 * The outbox rows and the read model's net changes, from a commit's events in
 * the order they were recorded: a line allocated then released in one commit
 * cancels out, so the removed and added rows never overlap.
 */
function eventWrites(events: readonly DomainEvent[]): Writes {
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
  const writes: Writes = {};
  if (events.length > 0) {
    writes.events = [
      events.map((event) => event.sku),
      events.map((event) => JSON.stringify(event)),
    ];
  }
  if (removed.length > 0) writes.unviewed = columns(removed);
  if (added.length > 0) writes.viewed = columns(added);
  return writes;
}

function columns(
  rows: readonly (readonly [string, string, number, string])[],
): readonly (readonly unknown[])[] {
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
