import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrate, readMigrations, statements } from "../src/migrate.js";
import { poolDatabase } from "../src/sql.js";
import { failWithoutPostgresUnderCI, postgres, uniqueName } from "./backends.js";

describe("migrations", () => {
  it("split into statements at semicolons that end a line, without comments", () => {
    expect(
      statements(
        "-- a table\nCREATE TABLE a (x text);\n\n-- another\nCREATE TABLE b (y text DEFAULT ';') ;\n",
      ),
    ).toEqual(["CREATE TABLE a (x text)", "CREATE TABLE b (y text DEFAULT ';')"]);
  });

  it("are numbered files, read in order", async () => {
    const versions = (await readMigrations()).map((migration) => migration.version);
    expect(versions[0]).toBe("001_products");
    expect(versions).toEqual([...versions].sort());
  });

  it("apply once and are recorded, so that a restart applies nothing", async () => {
    const db = await PGlite.create();
    try {
      expect(await migrate(db)).toEqual(["001_products"]);
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ version: string }>("SELECT version FROM schema_migrations");
      expect(rows.map((row) => row.version)).toEqual(["001_products"]);
    } finally {
      await db.close();
    }
  });

  failWithoutPostgresUnderCI();

  it.skipIf(postgres.skip !== undefined)(
    "apply exactly once when several processes start at once against one server",
    async () => {
      const admin = new pg.Pool({ connectionString: postgres.url, max: 1 });
      const name = uniqueName("migrate").toLowerCase().replace(/-/g, "_");
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(postgres.url as string);
      url.pathname = `/${name}`;
      const pools = Array.from(
        { length: 4 },
        () => new pg.Pool({ connectionString: url.href, max: 1 }),
      );
      try {
        const applied = await Promise.all(pools.map((pool) => migrate(poolDatabase(pool))));
        expect(applied.flat()).toEqual(["001_products"]);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
        await admin.query(`DROP DATABASE ${name}`);
        await admin.end();
      }
    },
  );
});
