import { readdir, readFile } from "node:fs/promises";
import type { SqlDatabase } from "./sql.js";

const MIGRATIONS = new URL("../migrations/", import.meta.url);

// Any constant works; it only has to be the same in every process.
const MIGRATION_LOCK = 4_815_162_342;

/** A migration file: `NNN_name.sql`, applied in the order of its number. */
export interface Migration {
  readonly version: string;
  readonly sql: string;
}

/** Reads the numbered SQL files of the migrations folder, in order. */
export async function readMigrations(folder: URL = MIGRATIONS): Promise<Migration[]> {
  const names = (await readdir(folder)).filter((name) => /^\d+_[\w-]+\.sql$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => ({
      version: name.replace(/\.sql$/, ""),
      sql: await readFile(new URL(name, folder), "utf8"),
    })),
  );
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in one
 * transaction under an advisory lock, so that several service processes
 * starting at once against one server apply each migration exactly once.
 * Safe to run at every start.
 *
 * @returns the versions applied by this call
 */
export async function migrate(
  db: SqlDatabase,
  migrations?: readonly Migration[],
): Promise<string[]> {
  const pending = migrations ?? (await readMigrations());
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const { rows } = await tx.query("SELECT version FROM schema_migrations");
    const done = new Set(rows.map((row) => (row as { version: string }).version));
    const applied: string[] = [];
    for (const migration of pending) {
      if (done.has(migration.version)) continue;
      for (const statement of statements(migration.sql)) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/**
 * Splits a migration into statements at semicolons that end a line, since
 * PGlite's `query` takes one statement at a time. Migrations therefore keep
 * one statement per `;` line end and use no dollar-quoted bodies.
 */
export function statements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((part) =>
      part
        .split(/\r?\n/)
        .filter((line) => !/^\s*--/.test(line))
        .join("\n")
        .trim(),
    )
    .filter((part) => part.length > 0);
}
