// The statements of the PostgreSQL adapter. Portable SQL only: unnest over
// arrays, data-modifying WITH, ON CONFLICT, FOR UPDATE SKIP LOCKED; no
// advisory locks, no PL/pgSQL, no extensions.

/**
 * Reads a product in one round trip. `$2` is the version of the state the
 * store already holds (or -1): when the stored version equals it, only the
 * version comes back and the cached state is used; otherwise the whole
 * aggregate, as JSON, from one snapshot. The CASE evaluates the subquery only
 * when it is needed.
 *
 * @internal
 */
export const LOAD_PRODUCT = `
SELECT p.version::text AS version,
  CASE WHEN p.version = $2::bigint THEN NULL ELSE json_build_object(
    'sku', p.sku,
    'versionNumber', p.version,
    'batches', COALESCE((
      SELECT json_agg(json_build_object(
        'reference', b.reference,
        'sku', b.sku,
        'qty', b.purchased_quantity,
        'eta', to_char(b.eta AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'allocations', COALESCE((
          SELECT json_agg(json_build_object('orderid', a.orderid, 'sku', a.sku, 'qty', a.qty)
                          ORDER BY a.allocated_in, a.allocated_seq)
          FROM allocations a WHERE a.batch_reference = b.reference
        ), '[]'::json)
      ) ORDER BY b.added_in, b.added_seq)
      FROM batches b WHERE b.sku = p.sku
    ), '[]'::json)
  ) END AS product
FROM products p WHERE p.sku = $1`;

/** @internal */
export const SKU_OF_BATCH = "SELECT sku FROM batches WHERE reference = $1";

/** @internal */
export const SKUS_OF_ORDER = "SELECT DISTINCT sku FROM allocations WHERE orderid = $1";

/** @internal */
export const ALLOCATIONS_OF_ORDER =
  "SELECT sku, batchref FROM order_allocations WHERE orderid = $1 ORDER BY allocated";

// The writes of one commit, gated on the compare-and-set so that a lost race
// writes nothing. `$n` numbers are fixed by WRITE_PARAMETERS' order.
const writes = (gate: string): string => `
added_batches AS (
  INSERT INTO batches (reference, sku, added_in, added_seq, purchased_quantity, eta)
  SELECT b.reference, $1, $3::bigint, b.seq, b.qty, b.eta
  FROM unnest($4::text[], $5::bigint[], $6::timestamptz[]) WITH ORDINALITY AS b(reference, qty, eta, seq)
  WHERE ${gate}
  RETURNING 1
), changed_quantities AS (
  UPDATE batches SET purchased_quantity = q.qty
  FROM unnest($7::text[], $8::bigint[]) AS q(reference, qty)
  WHERE batches.reference = q.reference AND batches.sku = $1 AND ${gate}
  RETURNING 1
), released AS (
  DELETE FROM allocations
  USING unnest($9::text[], $10::text[], $11::bigint[]) AS d(batch_reference, orderid, qty)
  WHERE allocations.orderid = d.orderid AND allocations.batch_reference = d.batch_reference
    AND allocations.qty = d.qty AND ${gate}
  RETURNING 1
), taken AS (
  INSERT INTO allocations (batch_reference, allocated_in, allocated_seq, sku, orderid, qty)
  SELECT t.batch_reference, $3::bigint, t.seq, $1, t.orderid, t.qty
  FROM unnest($12::text[], $13::text[], $14::bigint[]) WITH ORDINALITY AS t(batch_reference, orderid, qty, seq)
  WHERE ${gate}
  RETURNING 1
), ${eventWrites(15, gate)}`;

// The outbox rows and the read model, from the commit's events.
const eventWrites = (first: number, gate: string): string => {
  const n = (offset: number): string => `$${first + offset}`;
  return `stored_events AS (
  INSERT INTO outbox (sku, event)
  SELECT x.event->>'sku', x.event
  FROM jsonb_array_elements(${n(0)}::jsonb) WITH ORDINALITY AS x(event, n)
  WHERE ${gate}
  ORDER BY x.n
  RETURNING 1
), view_removed AS (
  DELETE FROM order_allocations
  USING unnest(${n(1)}::text[], ${n(2)}::text[], ${n(3)}::bigint[], ${n(4)}::text[]) AS r(orderid, sku, qty, batchref)
  WHERE order_allocations.orderid = r.orderid AND order_allocations.sku = r.sku
    AND order_allocations.qty = r.qty AND order_allocations.batchref = r.batchref AND ${gate}
  RETURNING 1
), view_added AS (
  INSERT INTO order_allocations (orderid, sku, qty, batchref)
  SELECT v.orderid, v.sku, v.qty, v.batchref
  FROM unnest(${n(5)}::text[], ${n(6)}::text[], ${n(7)}::bigint[], ${n(8)}::text[])
    WITH ORDINALITY AS v(orderid, sku, qty, batchref, n)
  WHERE ${gate}
  ORDER BY v.n
  ON CONFLICT DO NOTHING
  RETURNING 1
)`;
};

const GATE = "EXISTS (SELECT 1 FROM cas)";

/**
 * Commits the changes of a product the store holds: compare-and-set of the
 * version, then only what changed. One statement, so it is atomic on its own;
 * `written` is 0 when the version moved (nothing is written then).
 *
 * @internal
 */
export const WRITE_CHANGED_PRODUCT: string = `
WITH cas AS (
  UPDATE products SET version = $3::bigint WHERE sku = $1 AND version = $2::bigint RETURNING sku
), ${writes(GATE)}
SELECT count(*)::int AS written FROM cas`;

/**
 * Commits a new product; `written` is 0 when another commit created the sku first.
 *
 * @internal
 */
export const WRITE_NEW_PRODUCT: string = `
WITH cas AS (
  INSERT INTO products (sku, version) SELECT $1, $3::bigint WHERE $2::bigint IS NULL
  ON CONFLICT (sku) DO NOTHING RETURNING sku
), ${writes(GATE)}
SELECT count(*)::int AS written FROM cas`;

/**
 * Stores events of products whose stock did not change (an OutOfStock).
 *
 * @internal
 */
export const WRITE_EVENTS: string = `
WITH ${eventWrites(1, "TRUE")}
SELECT 1 AS written`;
