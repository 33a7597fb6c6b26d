import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  failWithoutPostgresUnderCI,
  poolAt,
  testDatabaseUrl,
  uniqueName,
} from "../../../test/postgres/backends";
import { applyMigrations, migrate } from "./migrate";
import { migrations } from "./migrations";

describe("migrate", () => {
  it("applies every shipped migration once and records it, so that a restart applies nothing", async () => {
    const db = await PGlite.create();
    try {
      expect(await migrate(db)).toEqual(migrations.map((migration) => migration.version));
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ version: number }>(
        "SELECT version FROM cosmic_allocation_migrations ORDER BY version",
      );
      expect(rows.map((row) => row.version)).toEqual([1, 2, 3]);
    } finally {
      await db.close();
    }
  }, 90_000);

  it("upgrades a database at version 1: only migration 2 runs, and it drops the foreign keys", async () => {
    const db = await PGlite.create();
    try {
      await applyMigrations(db, migrations.slice(0, 1));
      const foreignKeys = async () =>
        (
          await db.query<{ name: string }>(
            "SELECT conname AS name FROM pg_constraint WHERE contype = 'f' ORDER BY conname",
          )
        ).rows.map((row) => row.name);
      expect(await foreignKeys()).toEqual(["allocations_batch_reference_fkey", "batches_sku_fkey"]);
      expect(await migrate(db)).toEqual([2, 3]);
      expect(await foreignKeys()).toEqual([]);
    } finally {
      await db.close();
    }
  }, 90_000);

  it("applies each migration once when several callers share one PGlite", async () => {
    const db = await PGlite.create();
    try {
      const applied = await Promise.all([migrate(db), migrate(db), migrate(db)]);
      expect(applied.flat().sort()).toEqual([1, 2, 3]);
    } finally {
      await db.close();
    }
  }, 90_000);

  it("refuses a client it cannot run statements on, with a message that says what it needs", async () => {
    await expect(migrate({} as never)).rejects.toThrow(/query\(text, params\)/);
    await expect(migrate({ query: async () => ({ rows: [] }) })).rejects.toThrow(
      /transaction\(work\)/,
    );
  });

  failWithoutPostgresUnderCI();

  for (const isolation of ["read committed", "serializable"] as const) {
    it.skipIf(testDatabaseUrl === undefined)(
      `applies each migration exactly once when 4 instances start at once on a fresh database at ${isolation.toUpperCase()}`,
      async () => {
        const admin = new pg.Pool({ connectionString: testDatabaseUrl, max: 1 });
        const name = uniqueName("migrate").toLowerCase().replace(/-/g, "_");
        await admin.query(`CREATE DATABASE ${name}`);
        const url = new URL(testDatabaseUrl as string);
        url.pathname = `/${name}`;
        const pools = Array.from({ length: 4 }, () => poolAt(isolation, url.href, 1));
        try {
          const applied = await Promise.all(pools.map((pool) => migrate(pool)));
          expect(applied.flat().sort()).toEqual([1, 2, 3]);
          expect(await migrate(pools[0] as pg.Pool)).toEqual([]);
        } finally {
          await Promise.all(pools.map((pool) => pool.end()));
          await admin.query(`DROP DATABASE ${name}`);
          await admin.end();
        }
      },
    );
  }
});
