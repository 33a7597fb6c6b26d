// The plans of the adapter's reads: what keeps a read's cost to what it
// needs, whatever else the tables hold.
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { migrate } from "./migrate";
import { CHANGES_OF_PRODUCT } from "./product-sql";

describe("CHANGES_OF_PRODUCT", () => {
  it("reads a product's new lines through its batches' primary-key range, not the whole table, even when another product's history dwarfs it", async () => {
    const db = await PGlite.create();
    try {
      await migrate(db);
      for (const [sku, held] of [
        ["BIG", 20_000],
        ["SMALL", 0],
      ] as const) {
        await db.query("INSERT INTO products (sku, version) VALUES ($1, $2)", [sku, held + 1]);
        await db.query(
          `INSERT INTO batches (reference, sku, added_in, added_seq, purchased_quantity, eta)
           VALUES ($1, $2, 1, 1, 1000000, NULL)`,
          [`${sku}-b1`, sku],
        );
        await db.query(
          `INSERT INTO allocations (batch_reference, allocated_in, allocated_seq, sku, orderid, qty)
           SELECT $1, n + 1, 1, $2, 'o' || n, 1 FROM generate_series(1, $3::int) AS n`,
          [`${sku}-b1`, sku, held],
        );
      }
      await db.query("ANALYZE");
      // Most rows of the table are newer than the small product's version.
      const { rows } = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN ${CHANGES_OF_PRODUCT}`, [
        "SMALL",
        0,
      ]);
      const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
      expect(plan).toContain("Index Scan using allocations_pkey on allocations");
      expect(plan).not.toMatch(/Seq Scan on allocations/);
    } finally {
      await db.close();
    }
  }, 90_000);
});
