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

/** Where a part finds the sku, the new version and its arrays among the parameters. */
interface Placeholders {
  readonly sku: string;
  readonly version: string;
  readonly arrays: readonly string[];
}

/** The parts of a commit's statement, each present only when it has rows to write. */
type Part = "added" | "resized" | "released" | "taken" | "events" | "unviewed" | "viewed";

// Each part: its CTE, given the placeholders of its arrays and the gate.
const PARTS: Readonly<
  Record<Part, { readonly arrays: number; body(p: Placeholders, gate: string): string }>
> = {
  added: {
    arrays: 3,
    body: (
      p,
      gate,
    ) => `INSERT INTO batches (reference, sku, added_in, added_seq, purchased_quantity, eta)
  SELECT b.reference, ${p.sku}, ${p.version}::bigint, b.seq, b.qty, b.eta
  FROM unnest(${p.arrays[0]}::text[], ${p.arrays[1]}::bigint[], ${p.arrays[2]}::timestamptz[]) WITH ORDINALITY AS b(reference, qty, eta, seq)
  WHERE ${gate}`,
  },
  resized: {
    arrays: 2,
    body: (p, gate) => `UPDATE batches SET purchased_quantity = q.qty
  FROM unnest(${p.arrays[0]}::text[], ${p.arrays[1]}::bigint[]) AS q(reference, qty)
  WHERE batches.reference = q.reference AND batches.sku = ${p.sku} AND ${gate}`,
  },
  released: {
    arrays: 3,
    body: (p, gate) => `DELETE FROM allocations
  USING unnest(${p.arrays[0]}::text[], ${p.arrays[1]}::text[], ${p.arrays[2]}::bigint[]) AS d(batch_reference, orderid, qty)
  WHERE allocations.orderid = d.orderid AND allocations.batch_reference = d.batch_reference
    AND allocations.qty = d.qty AND ${gate}`,
  },
  taken: {
    arrays: 3,
    body: (
      p,
      gate,
    ) => `INSERT INTO allocations (batch_reference, allocated_in, allocated_seq, sku, orderid, qty)
  SELECT t.batch_reference, ${p.version}::bigint, t.seq, ${p.sku}, t.orderid, t.qty
  FROM unnest(${p.arrays[0]}::text[], ${p.arrays[1]}::text[], ${p.arrays[2]}::bigint[]) WITH ORDINALITY AS t(batch_reference, orderid, qty, seq)
  WHERE ${gate}`,
  },
  events: {
    arrays: 1,
    body: (p, gate) => `INSERT INTO outbox (sku, event)
  SELECT x.event->>'sku', x.event
  FROM jsonb_array_elements(${p.arrays[0]}::jsonb) WITH ORDINALITY AS x(event, n)
  WHERE ${gate}
  ORDER BY x.n`,
  },
  unviewed: {
    arrays: 4,
    body: (p, gate) => `DELETE FROM order_allocations
  USING unnest(${p.arrays[0]}::text[], ${p.arrays[1]}::text[], ${p.arrays[2]}::bigint[], ${p.arrays[3]}::text[]) AS r(orderid, sku, qty, batchref)
  WHERE order_allocations.orderid = r.orderid AND order_allocations.sku = r.sku
    AND order_allocations.qty = r.qty AND order_allocations.batchref = r.batchref AND ${gate}`,
  },
  viewed: {
    arrays: 4,
    body: (p, gate) => `INSERT INTO order_allocations (orderid, sku, qty, batchref)
  SELECT v.orderid, v.sku, v.qty, v.batchref
  FROM unnest(${p.arrays[0]}::text[], ${p.arrays[1]}::text[], ${p.arrays[2]}::bigint[], ${p.arrays[3]}::text[])
    WITH ORDINALITY AS v(orderid, sku, qty, batchref, n)
  WHERE ${gate}
  ORDER BY v.n
  ON CONFLICT DO NOTHING`,
  },
};

const ORDER: readonly Part[] = [
  "added",
  "resized",
  "released",
  "taken",
  "events",
  "unviewed",
  "viewed",
];

/** What one statement writes: the arrays of each part that has rows. */
export type Writes = Partial<Record<Part, readonly (readonly unknown[])[] | string>>;

const texts = new Map<string, string>();

/**
 * One statement that writes a commit's changes of one product (`cas`:
 * "changed" compare-and-sets the version, "new" inserts the product) or
 * only events ("none"), with a CTE for each part that has rows and none for
 * the others, so the server plans only what this commit writes. `written` is
 * 0 when the compare-and-set found the version moved, or the sku taken: then
 * nothing is written.
 *
 * @internal
 */
export function writeStatement(
  cas: "changed" | "new" | "none",
  head: readonly unknown[],
  writes: Writes,
): Statement {
  const present = ORDER.filter((part) => writes[part] !== undefined);
  const name = `cosmic_write_${cas}_${present.map((part) => part.slice(0, 3)).join("_")}`;
  const values: unknown[] = [...head];
  for (const part of present) {
    const arrays = writes[part] as readonly (readonly unknown[])[] | string;
    if (typeof arrays === "string") values.push(arrays);
    else values.push(...arrays);
  }
  let text = texts.get(name);
  if (text === undefined) {
    let next = head.length + 1;
    const gate = cas === "none" ? "TRUE" : "EXISTS (SELECT 1 FROM cas)";
    const ctes = present.map((part) => {
      const spec = PARTS[part];
      const arrays = Array.from({ length: spec.arrays }, () => `$${next++}`);
      return `${part} AS (\n  ${spec.body({ sku: "$1", version: "$3", arrays }, gate)}\n  RETURNING 1)`;
    });
    if (cas === "changed") {
      ctes.unshift(
        "cas AS (\n  UPDATE products SET version = $3::bigint WHERE sku = $1 AND version = $2::bigint RETURNING sku)",
      );
    } else if (cas === "new") {
      ctes.unshift(
        "cas AS (\n  INSERT INTO products (sku, version) SELECT $1, $3::bigint WHERE $2::bigint IS NULL\n  ON CONFLICT (sku) DO NOTHING RETURNING sku)",
      );
    }
    text = `WITH ${ctes.join(",\n")}\nSELECT ${cas === "none" ? "1" : "(SELECT count(*) FROM cas)::int"} AS written`;
    texts.set(name, text);
  }
  return { name, text, values };
}

/**
 * The same writes as {@link writeStatement}, as one plain statement per part,
 * for a transaction that has already compare-and-set the version: cheaper to
 * plan than one statement with many parts, which is what costs on a client
 * that does not prepare statements (PGlite).
 *
 * @internal
 */
export function writeStatements(sku: string, version: number, writes: Writes): Statement[] {
  return ORDER.filter((part) => writes[part] !== undefined).map((part) => {
    const spec = PARTS[part];
    const given = writes[part] as readonly (readonly unknown[])[] | string;
    const values: unknown[] = typeof given === "string" ? [given] : [...given];
    const arrays = Array.from({ length: spec.arrays }, (_, index) => `$${index + 1}`);
    // Only the placeholders a part uses may be sent: the server cannot type an unused one.
    let text = spec.body({ sku: "\u0001sku", version: "\u0001version", arrays }, "TRUE");
    for (const [marker, value] of [
      ["\u0001sku", sku],
      ["\u0001version", version],
    ] as const) {
      if (!text.includes(marker)) continue;
      values.push(value);
      text = text.replaceAll(marker, `$${values.length}`);
    }
    return { name: `cosmic_part_${part}`, text, values };
  });
}

/** @internal */
export const COMPARE_AND_SET =
  "UPDATE products SET version = $3::bigint WHERE sku = $1 AND version = $2::bigint RETURNING sku";

/** @internal */
export const INSERT_PRODUCT =
  "INSERT INTO products (sku, version) VALUES ($1, $2::bigint) ON CONFLICT (sku) DO NOTHING RETURNING sku";
