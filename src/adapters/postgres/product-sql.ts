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
  p.logged_versions::text AS logged_versions, p.logged_releases::text AS logged_releases,
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

/**
 * Reads what changed in a product since the version `$2` that a store holds,
 * in one round trip and from one snapshot: only the version when it is still
 * `$2` (or older); otherwise every batch (few) with the lines placed in it
 * since `$2` in the order placed, the lines released since `$2` (from `released_lines`),
 * and the product's counters that tell whether that record is whole. Costs
 * what changed, not a read of every line: this is what keeps several
 * instances that take turns on one product from reading it whole at each turn.
 *
 * @internal
 */
export const CHANGES_OF_PRODUCT = `
SELECT p.version::text AS version,
  p.logged_versions::text AS logged_versions, p.logged_releases::text AS logged_releases,
  CASE WHEN p.version <= $2::bigint THEN NULL ELSE json_build_object(
    'batches', COALESCE((
      SELECT json_agg(json_build_object(
        'reference', b.reference,
        'qty', b.purchased_quantity,
        'eta', to_char(b.eta AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        -- Per batch, so that what is read is the range (batch, allocated_in)
        -- of the primary key, whatever the planner guesses of the whole table.
        'placed', COALESCE((
          SELECT json_agg(json_build_object('orderid', a.orderid, 'qty', a.qty)
                          ORDER BY a.allocated_in, a.allocated_seq)
          FROM allocations a
          WHERE a.batch_reference = b.reference AND a.allocated_in > $2::bigint
        ), '[]'::json)
      ) ORDER BY b.added_in, b.added_seq)
      FROM batches b WHERE b.sku = p.sku
    ), '[]'::json),
    'released', COALESCE((
      SELECT json_agg(json_build_object('batchref', r.batch_reference, 'orderid', r.orderid, 'qty', r.qty))
      FROM released_lines r WHERE r.sku = p.sku AND r.released_in > $2::bigint
    ), '[]'::json)
  ) END AS changes
FROM products p WHERE p.sku = $1`;

/** @internal */
export const VERSION_OF_PRODUCT = "SELECT version::text AS version FROM products WHERE sku = $1";

/** @internal */
export const SKU_OF_BATCH = "SELECT sku FROM batches WHERE reference = $1";

/** @internal */
export const SKUS_OF_ORDER = "SELECT DISTINCT sku FROM allocations WHERE orderid = $1";

/** @internal */
export const ALLOCATIONS_OF_ORDER =
  "SELECT sku, batchref FROM order_allocations WHERE orderid = $1 ORDER BY allocated";

/**
 * A statement with a stable name: clients that prepare statements (a `pg`
 * Pool) plan it once per connection instead of at every call.
 *
 * @internal
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/** The parts of a commit's writes, each present only when it has rows to write. */
type Part =
  | "added"
  | "resized"
  | "released"
  | "logged"
  | "taken"
  | "events"
  | "unviewed"
  | "viewed";

interface PartSpec {
  /** The alias of its rows, and their columns with their SQL types. */
  readonly alias: string;
  readonly columns: readonly (readonly [string, string])[];
  /** The statement, given where its rows come from, the sku and version placeholders, and the gate. */
  body(rows: string, sku: string, version: string, gate: string): string;
}

// Each part reads its rows from `rows`, which has the part's columns and `seq`
// (the row's place, from 1): one row of plain parameters when the part has a
// single row (the hot path: one allocation), else unnest over one array per
// column (one text whatever the number of rows). Both kinds plan in
// microseconds; arrays cost the driver an encoding per element, which is what
// a single row avoids.
// An allocated line, as released, recorded as released, and placed (`lines()` in the storage).
const LINE_COLUMNS: PartSpec["columns"] = [
  ["batch_reference", "text"],
  ["orderid", "text"],
  ["qty", "bigint"],
];
// A row of the read model, as removed and added.
const VIEW_COLUMNS: PartSpec["columns"] = [
  ["orderid", "text"],
  ["sku", "text"],
  ["qty", "bigint"],
  ["batchref", "text"],
];

const PARTS: Readonly<Record<Part, PartSpec>> = {
  added: {
    alias: "b",
    columns: [
      ["reference", "text"],
      ["qty", "bigint"],
      ["eta", "timestamptz"],
    ],
    body: (
      rows,
      sku,
      version,
      gate,
    ) => `INSERT INTO batches (reference, sku, added_in, added_seq, purchased_quantity, eta)
  SELECT b.reference, ${sku}, ${version}::bigint, b.seq, b.qty, b.eta FROM ${rows}
  WHERE ${gate}`,
  },
  resized: {
    alias: "q",
    columns: [
      ["reference", "text"],
      ["qty", "bigint"],
    ],
    body: (rows, sku, _, gate) => `UPDATE batches SET purchased_quantity = q.qty FROM ${rows}
  WHERE batches.reference = q.reference AND batches.sku = ${sku} AND ${gate}`,
  },
  released: {
    alias: "d",
    columns: LINE_COLUMNS,
    body: (rows, _, __, gate) => `DELETE FROM allocations USING ${rows}
  WHERE allocations.orderid = d.orderid AND allocations.batch_reference = d.batch_reference
    AND allocations.qty = d.qty AND ${gate}`,
  },
  // The released lines again, kept in released_lines for CHANGES_OF_PRODUCT.
  logged: {
    alias: "l",
    columns: LINE_COLUMNS,
    body: (
      rows,
      sku,
      version,
      gate,
    ) => `INSERT INTO released_lines (sku, released_in, batch_reference, orderid, qty)
  SELECT ${sku}, ${version}::bigint, l.batch_reference, l.orderid, l.qty FROM ${rows}
  WHERE ${gate}`,
  },
  taken: {
    alias: "t",
    columns: LINE_COLUMNS,
    body: (
      rows,
      sku,
      version,
      gate,
    ) => `INSERT INTO allocations (batch_reference, allocated_in, allocated_seq, sku, orderid, qty)
  SELECT t.batch_reference, ${version}::bigint, t.seq, ${sku}, t.orderid, t.qty FROM ${rows}
  WHERE ${gate}`,
  },
  events: {
    alias: "x",
    columns: [
      ["sku", "text"],
      ["event", "jsonb"],
    ],
    body: (rows, _, __, gate) => `INSERT INTO outbox (sku, event)
  SELECT x.sku, x.event FROM ${rows}
  WHERE ${gate}
  ORDER BY x.seq`,
  },
  unviewed: {
    alias: "r",
    columns: VIEW_COLUMNS,
    body: (rows, _, __, gate) => `DELETE FROM order_allocations USING ${rows}
  WHERE order_allocations.orderid = r.orderid AND order_allocations.sku = r.sku
    AND order_allocations.qty = r.qty AND order_allocations.batchref = r.batchref AND ${gate}`,
  },
  viewed: {
    alias: "v",
    columns: VIEW_COLUMNS,
    body: (rows, _, __, gate) => `INSERT INTO order_allocations (orderid, sku, qty, batchref)
  SELECT v.orderid, v.sku, v.qty, v.batchref FROM ${rows}
  WHERE ${gate}
  ORDER BY v.seq
  ON CONFLICT DO NOTHING`,
  },
};

const ORDER: readonly Part[] = [
  "added",
  "resized",
  "released",
  "logged",
  "taken",
  "events",
  "unviewed",
  "viewed",
];

/** What one commit writes: for each part that has rows, one array per column. */
export type Writes = Partial<Record<Part, readonly (readonly unknown[])[]>>;

/** Hands out `$n` placeholders in order. */
function counter(first: number): () => string {
  let next = first;
  return () => `$${next++}`;
}

function unnestRows(spec: PartSpec, placeholder: () => string): string {
  const arrays = spec.columns.map(([, type]) => `${placeholder()}::${type}[]`);
  const names = [...spec.columns.map(([name]) => name), "seq"];
  return `unnest(${arrays.join(", ")}) WITH ORDINALITY AS ${spec.alias}(${names.join(", ")})`;
}

function singleRow(spec: PartSpec, placeholder: () => string): string {
  const cells = spec.columns.map(([, type]) => `${placeholder()}::${type}`);
  const names = [...spec.columns.map(([name]) => name), "seq"];
  return `(SELECT ${cells.join(", ")}, 1) AS ${spec.alias}(${names.join(", ")})`;
}

const texts = new Map<string, string>();

/**
 * One statement that writes a commit's changes of one product (`cas`:
 * "changed" compare-and-sets the version, "new" inserts the product) or
 * only events ("none"), with a CTE for each part that has rows and none for
 * the others. A single statement is atomic by itself, so a commit of one
 * product needs no BEGIN and COMMIT round trips. Its text depends only on
 * which parts are present and which have a single row, so a client that
 * prepares statements plans it once. `written` is 0 when the compare-and-set
 * found the version moved, or the sku taken: then nothing is written.
 *
 * @internal
 */
export function writeStatement(
  cas: "changed" | "new" | "none",
  head: readonly unknown[],
  writes: Writes,
): Statement {
  const present = ORDER.filter((part) => writes[part] !== undefined);
  const single = present.map(
    (part) => (writes[part] as readonly (readonly unknown[])[])[0]?.length === 1,
  );
  const shape = present.map((part, index) => `${part.slice(0, 3)}${single[index] ? "1" : "n"}`);
  const name = `cosmic_write_${cas}_${shape.join("_")}`;
  const values: unknown[] = [...head];
  for (const [index, part] of present.entries()) {
    const columns = writes[part] as readonly (readonly unknown[])[];
    if (single[index]) for (const column of columns) values.push(column[0]);
    else values.push(...columns);
  }
  let text = texts.get(name);
  if (text === undefined) {
    const placeholder = counter(head.length + 1);
    const gate = cas === "none" ? "TRUE" : "EXISTS (SELECT 1 FROM cas)";
    const ctes = present.map((part, index) => {
      const spec = PARTS[part];
      const rows = single[index] ? singleRow(spec, placeholder) : unnestRows(spec, placeholder);
      return `${part} AS (\n  ${spec.body(rows, "$1", "$3", gate)}\n  RETURNING 1)`;
    });
    if (cas === "changed") {
      ctes.unshift(`cas AS (\n  ${COMPARE_AND_SET})`);
    } else if (cas === "new") {
      ctes.unshift(
        "cas AS (\n  INSERT INTO products (sku, version, logged_versions, logged_releases)\n  SELECT $1, $3::bigint, $3::bigint, $4::bigint WHERE $2::bigint IS NULL\n  ON CONFLICT (sku) DO NOTHING RETURNING sku)",
      );
    }
    const written = cas === "none" ? "1" : "(SELECT count(*) FROM cas)::int";
    text = `WITH ${ctes.join(",\n")}\nSELECT ${written} AS written`;
    texts.set(name, text);
  }
  return { name, text, values };
}

/** @internal */
export const COMPARE_AND_SET: string = `UPDATE products
  SET version = $3::bigint,
    logged_versions = logged_versions + ($3::bigint - $2::bigint),
    logged_releases = logged_releases + $4::bigint
  WHERE sku = $1 AND version = $2::bigint RETURNING sku`;
