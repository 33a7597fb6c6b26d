import {
  type OrderLineAllocation,
  type OutboxEntry,
  type RelayOptions,
  trackUnitOfWork,
  type UnitOfWork,
  ValidationError,
} from "cosmic-allocation";
import { relayOutbox } from "./outbox-relay";
import { PostgresProductStorage } from "./postgres-product-storage";
import { ProductCache } from "./product-cache";
import { ALLOCATIONS_OF_ORDER } from "./product-sql";
import { type SqlClient, type SqlDatabase, toDatabase } from "./sql-client";

/** @internal */
export const DEFAULT_CACHE_SIZE = 1000;
/** @internal */
export const DEFAULT_RELAY_LEASE_MS = 60_000;

/**
 * Options of a {@link PostgresStore}.
 *
 * @example
 * ```ts
 * import type { PostgresStoreOptions } from "cosmic-allocation/postgres";
 *
 * const options: PostgresStoreOptions = { cacheSize: 10_000, relayLeaseMs: 30_000 };
 * ```
 */
export interface PostgresStoreOptions {
  /**
   * How many products' last committed state the store keeps in memory, least
   * recently used out first; 1,000 by default, 0 for none. A cached product
   * costs what it holds (its batches and allocated lines).
   */
  readonly cacheSize?: number;
  /**
   * How long a relay run may hold the events it claimed before another relay
   * takes them over (it crashed, or `publish` hangs); 60,000 ms by default.
   */
  readonly relayLeaseMs?: number;
  /**
   * With a `pg` Pool, send the adapter's statements as named prepared
   * statements, planned once per connection (true by default). Turn it off
   * behind a pooler that cannot keep them (PgBouncer before 1.21 in
   * transaction mode).
   */
  readonly preparedStatements?: boolean;
}

/**
 * The library's unit of work over PostgreSQL (or PGlite, or an engine that
 * speaks its protocol), with a transactional outbox and a read model of
 * orders. Pass the client you have: a `pg` Pool or a PGlite instance works as
 * it is; run {@link migrate} first.
 *
 * A commit writes only what changed and costs the same whatever the product's
 * history; a read of a product the store holds in its cache checks the stored
 * version, and when another store or instance committed since, reads only
 * what changed, in the same round trip.
 * Optimistic concurrency decides every race, between stores and instances:
 * a lost race, a serialization failure (40001) or a deadlock (40P01) is a
 * `ConcurrencyConflict`, which the services retry.
 *
 * @example
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * import { Batch, Product, services } from "cosmic-allocation";
 * import { migrate, PostgresStore } from "cosmic-allocation/postgres";
 *
 * const db = await PGlite.create();
 * await migrate(db);
 * const store = new PostgresStore(db);
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10, eta: null }, uow);
 * console.log(await services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, uow)); // "b1"
 * console.log(await store.allocationsFor("o1")); // [{ sku: "LAMP", batchref: "b1" }]
 * const published: string[] = [];
 * console.log(await store.relay((entry) => published.push(entry.event.type))); // 1
 * console.log(published); // ["Allocated"]
 * ```
 */
export class PostgresStore {
  readonly #db: SqlDatabase;
  readonly #cache: ProductCache;
  readonly #relayLeaseMs: number;

  /**
   * @param db - a `pg` Pool, a PGlite instance, or any {@link SqlClient}
   * @param options - the cache bound and the relay's lease
   * @throws {@link cosmic-allocation!ValidationError} when an option is not a whole number of 0 or more
   */
  constructor(db: SqlClient, options: PostgresStoreOptions = {}) {
    const cacheSize = wholeNumber(options.cacheSize ?? DEFAULT_CACHE_SIZE, "cacheSize");
    this.#relayLeaseMs = wholeNumber(
      options.relayLeaseMs ?? DEFAULT_RELAY_LEASE_MS,
      "relayLeaseMs",
    );
    const prepare = options.preparedStatements ?? true;
    if (typeof prepare !== "boolean") {
      throw new ValidationError("preparedStatements", prepare, "a boolean");
    }
    this.#db = toDatabase(db, prepare);
    this.#cache = new ProductCache(cacheSize);
  }

  /**
   * Opens a unit of work. It holds no connection and no transaction until it
   * commits: reads are single statements, and the commit is one statement per
   * product changed (in one transaction when there are several).
   *
   * @returns a new, open unit of work
   */
  unitOfWork(): UnitOfWork {
    return trackUnitOfWork(new PostgresProductStorage(this.#db, this.#cache));
  }

  /**
   * Hands the outbox's undelivered events to `publish`, oldest first, each
   * product's in the order they were committed, and marks them delivered.
   * Several relays may run at once, in one process or many: each event goes
   * to one of them at a time. Delivery is at least once (a relay that dies
   * after `publish` but before marking leaves the event to the next run), so
   * consumers drop repeats by `entry.id`. When `publish` throws, that event
   * and the later ones of its product stay undelivered for the next run, and
   * the other products' events still go out (as with `InMemoryStore.relay`:
   * the count tells what went out; log in `publish` what failed).
   *
   * @param publish - called once per event, awaited before the next
   * @param options - `limit`: the most events one call hands out (100 by default)
   * @returns how many events were delivered
   */
  async relay(publish: (entry: OutboxEntry) => unknown, options?: RelayOptions): Promise<number> {
    if (typeof publish !== "function") {
      throw new ValidationError("publish", publish, "a function");
    }
    if (typeof options !== "object" && options !== undefined) {
      throw new ValidationError("options", options, "an object");
    }
    if (options?.limit !== undefined) wholeNumber(options.limit, "options.limit", 1);
    return relayOutbox(this.#db, publish, options, this.#relayLeaseMs);
  }

  /**
   * Where each line of an order is allocated, from the read model that every
   * commit keeps in the same transaction (the book's chapter 12 view).
   *
   * @param orderid - an order id
   * @returns `[{ sku, batchref }]`, in the order the lines were allocated; empty for an unknown order
   * @throws {@link cosmic-allocation!ValidationError} when `orderid` is not a non-empty string
   */
  async allocationsFor(orderid: string): Promise<readonly OrderLineAllocation[]> {
    if (typeof orderid !== "string" || orderid === "") {
      throw new ValidationError("orderid", orderid, "a non-empty string");
    }
    const { rows } = await this.#db.query(ALLOCATIONS_OF_ORDER, [orderid]);
    return rows.map((row) => {
      const { sku, batchref } = row as OrderLineAllocation;
      return { sku, batchref };
    });
  }
}

function wholeNumber(value: unknown, field: string, least = 0): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < least) {
    throw new ValidationError(field, value, `a whole number of ${least} or more`);
  }
  return value;
}
