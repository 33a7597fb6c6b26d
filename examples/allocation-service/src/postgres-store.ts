import {
  ConcurrencyConflict,
  DuplicateBatch,
  DuplicateProduct,
  Product,
  type ProductRepository,
  type UnitOfWork,
  UnitOfWorkClosed,
  ValidationError,
} from "cosmic-allocation";
import { type SqlClient, type SqlDatabase, sqlState } from "./sql.js";

// One statement reads a whole product, so it sees one consistent snapshot even
// while another connection commits: a read never needs a transaction of its own.
const SELECT_PRODUCT = `
SELECT json_build_object(
  'sku', p.sku,
  'versionNumber', p.version,
  'batches', COALESCE((
    SELECT json_agg(json_build_object(
      'reference', b.reference,
      'sku', b.sku,
      'qty', b.purchased_quantity,
      'eta', to_char(b.eta AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'allocations', COALESCE((
        SELECT json_agg(json_build_object('orderid', a.orderid, 'sku', b.sku, 'qty', a.qty)
                        ORDER BY a.position)
        FROM allocations a WHERE a.batch_reference = b.reference
      ), '[]'::json)
    ) ORDER BY b.position)
    FROM batches b WHERE b.sku = p.sku
  ), '[]'::json)
) AS product
FROM products p`;

const BY_SKU = `${SELECT_PRODUCT} WHERE p.sku = $1`;
const BY_BATCH_REF = `${SELECT_PRODUCT} WHERE p.sku = (SELECT sku FROM batches WHERE reference = $1)`;

// SQLSTATEs of a transaction that lost a race on the server itself.
const RACE_LOST = new Set(["40001", "40P01"]);

/**
 * The PostgreSQL adapter of the library's unit-of-work port, over any
 * {@link SqlDatabase}: a `pg` Pool (through `poolDatabase`) or PGlite.
 *
 * A unit of work holds no connection and no open transaction. Reads are single
 * statements; changes live in the Product objects of its identity map; and
 * `commit()` runs one short transaction that, for each changed product,
 * compare-and-sets the version it read (or inserts a new product) and rewrites
 * its batches and allocations. A version that moved, or a sku another unit of
 * work created first, throws the library's `ConcurrencyConflict`, and the
 * transaction rolls back whole. Holding nothing open between calls is what lets
 * many units of work share PGlite's single connection.
 */
export class PostgresStore {
  readonly #db: SqlDatabase;

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  /** Opens a unit of work: one transaction over the products. */
  unitOfWork(): UnitOfWork {
    return new PostgresUnitOfWork(this.#db);
  }
}

interface Seen {
  readonly product: Product;
  // The stored version this unit of work read, or null for a product it added.
  readonly readVersion: number | null;
}

class PostgresUnitOfWork implements UnitOfWork {
  readonly products: ProductRepository;
  readonly #db: SqlDatabase;
  readonly #seen = new Map<string, Seen>();
  #state: "open" | "committed" | "rolled back" = "open";

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.products = {
      add: (product) => this.#add(product),
      get: (sku) => this.#get(requireKey(sku, "sku")),
      getByBatchRef: (reference) => this.#getByBatchRef(requireKey(reference, "reference")),
    };
  }

  async commit(): Promise<void> {
    this.#requireOpen();
    const changed = [...this.#seen.values()]
      .filter(({ product, readVersion }) => product.versionNumber !== readVersion)
      // One lock order for every commit, so that two commits never deadlock.
      .sort((a, b) => (a.product.sku < b.product.sku ? -1 : a.product.sku > b.product.sku ? 1 : 0));
    try {
      if (changed.length > 0) {
        await this.#db.transaction(async (tx) => {
          for (const seen of changed) await save(tx, seen);
        });
      }
    } catch (error) {
      this.#close("rolled back");
      throw translate(error, changed);
    }
    this.#close("committed");
  }

  async rollback(): Promise<void> {
    this.#requireOpen();
    this.#close("rolled back");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state === "open") this.#close("rolled back");
  }

  async #add(product: Product): Promise<void> {
    this.#requireOpen();
    if (!(product instanceof Product)) {
      throw new ValidationError("product", product, "a Product");
    }
    const sku = product.sku;
    if (this.#seen.has(sku)) throw new DuplicateProduct(sku);
    const { rows } = await this.#db.query("SELECT 1 FROM products WHERE sku = $1", [sku]);
    this.#requireOpen();
    if (rows.length > 0 || this.#seen.has(sku)) throw new DuplicateProduct(sku);
    this.#seen.set(sku, { product, readVersion: null });
  }

  async #get(sku: string): Promise<Product | undefined> {
    this.#requireOpen();
    const seen = this.#seen.get(sku);
    if (seen !== undefined) return seen.product;
    return this.#load(BY_SKU, sku);
  }

  async #getByBatchRef(reference: string): Promise<Product | undefined> {
    this.#requireOpen();
    for (const { product } of this.#seen.values()) {
      if (product.getBatch(reference) !== undefined) return product;
    }
    return this.#load(BY_BATCH_REF, reference);
  }

  async #load(query: string, key: string): Promise<Product | undefined> {
    const { rows } = await this.#db.query(query, [key]);
    this.#requireOpen();
    const row = rows[0] as { product: unknown } | undefined;
    if (row === undefined) return undefined;
    const json = typeof row.product === "string" ? JSON.parse(row.product) : row.product;
    const product = Product.fromJSON(json);
    // Another get of the same sku may have finished first: the identity map keeps the first.
    const seen = this.#seen.get(product.sku);
    if (seen !== undefined) return seen.product;
    this.#seen.set(product.sku, { product, readVersion: product.versionNumber });
    return product;
  }

  #requireOpen(): void {
    if (this.#state !== "open") throw new UnitOfWorkClosed(this.#state);
  }

  #close(state: "committed" | "rolled back"): void {
    this.#state = state;
    this.#seen.clear();
  }
}

/** Writes one changed product inside the commit transaction. */
async function save(tx: SqlClient, { product, readVersion }: Seen): Promise<void> {
  const sku = product.sku;
  const version = product.versionNumber;
  if (readVersion === null) {
    const { rows } = await tx.query(
      "INSERT INTO products (sku, version) VALUES ($1, $2) ON CONFLICT (sku) DO NOTHING RETURNING sku",
      [sku, version],
    );
    if (rows.length === 0) throw new ConcurrencyConflict(sku);
  } else {
    // The compare-and-set: it also locks the row until the transaction ends,
    // so a concurrent commit of this product waits here, then finds the version moved.
    const { rows } = await tx.query(
      "UPDATE products SET version = $3 WHERE sku = $1 AND version = $2 RETURNING sku",
      [sku, readVersion, version],
    );
    if (rows.length === 0) throw new ConcurrencyConflict(sku);
    await tx.query("DELETE FROM batches WHERE sku = $1", [sku]);
  }
  const batches = product.batches.map((batch, position) => ({
    reference: batch.reference,
    position,
    qty: batch.purchasedQuantity,
    eta: batch.eta?.toISOString() ?? null,
  }));
  if (batches.length === 0) return;
  await tx.query(
    `INSERT INTO batches (reference, sku, position, purchased_quantity, eta)
     SELECT b.reference, $1, b.position, b.qty, b.eta
     FROM jsonb_to_recordset($2::jsonb) AS b(reference text, position integer, qty bigint, eta timestamptz)`,
    [sku, JSON.stringify(batches)],
  );
  const allocations = product.batches.flatMap((batch) =>
    batch.allocations.map((line, position) => ({
      batch_reference: batch.reference,
      position,
      orderid: line.orderid,
      qty: line.qty,
    })),
  );
  if (allocations.length === 0) return;
  await tx.query(
    `INSERT INTO allocations (batch_reference, position, orderid, qty)
     SELECT a.batch_reference, a.position, a.orderid, a.qty
     FROM jsonb_to_recordset($1::jsonb) AS a(batch_reference text, position integer, orderid text, qty bigint)`,
    [JSON.stringify(allocations)],
  );
}

/** Turns what the server reported into the library's errors where one applies. */
function translate(error: unknown, changed: readonly Seen[]): unknown {
  const state = sqlState(error);
  if (state === undefined) return error;
  if (RACE_LOST.has(state)) return new ConcurrencyConflict(changed[0]?.product.sku ?? "");
  if (state === "23505" && constraintOf(error) === "batches_pkey") {
    const reference = /\(reference\)=\((.*)\)/.exec(detailOf(error))?.[1];
    return new DuplicateBatch(reference ?? "");
  }
  return error;
}

function constraintOf(error: unknown): string | undefined {
  const constraint: unknown = (error as { constraint?: unknown }).constraint;
  return typeof constraint === "string" ? constraint : undefined;
}

function detailOf(error: unknown): string {
  const detail: unknown = (error as { detail?: unknown }).detail;
  return typeof detail === "string" ? detail : "";
}

function requireKey(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(field, value, "a non-empty string");
  }
  return value;
}
