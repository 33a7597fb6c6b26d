import { PGlite } from "@electric-sql/pglite";
import { migrate, migrations } from "cosmic-allocation/postgres";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { failWithoutPostgresUnderCI, postgres, uniqueName } from "./backends.js";

// The service applies the library's shipped migrations at start-up.
describe("migrations", () => {
  it("are shipped in the package, numbered and in order", () => {
    const versions = migrations.map((migration) => migration.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it("apply once and are recorded, so that a restart applies nothing", async () => {
    const db = await PGlite.create();
    try {
      const shipped = migrations.map((migration) => migration.version);
      expect(await migrate(db)).toEqual(shipped);
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ version: number }>(
        "SELECT version FROM cosmic_allocation_migrations ORDER BY version",
      );
      expect(rows.map((row) => row.version)).toEqual(shipped);
    } finally {
      await db.close();
    }
  });

  failWithoutPostgresUnderCI();

  for (const isolation of ["read committed", "serializable"]) {
    it.skipIf(postgres.skip !== undefined)(
      `apply exactly once when several processes start at once against one server, at ${isolation}`,
      async () => {
        const admin = new pg.Pool({ connectionString: postgres.url, max: 1 });
        const name = uniqueName("migrate").toLowerCase().replace(/-/g, "_");
        await admin.query(`CREATE DATABASE ${name}`);
        const url = new URL(postgres.url as string);
        url.pathname = `/${name}`;
        const pools = Array.from(
          { length: 4 },
          () =>
            new pg.Pool({
              connectionString: url.href,
              max: 1,
              options: `-c default_transaction_isolation=${isolation.replace(" ", "\\ ")}`,
            }),
        );
        try {
          const applied = await Promise.all(pools.map((pool) => migrate(pool)));
          expect(applied.flat().sort((a, b) => a - b)).toEqual(
            migrations.map((migration) => migration.version),
          );
        } finally {
          await Promise.all(pools.map((pool) => pool.end()));
          await admin.query(`DROP DATABASE ${name}`);
          await admin.end();
        }
      },
    );
  }
});
