import { type Migration, migrations as shipped } from "./migrations";
import { sleep } from "./sleep";
import { type SqlClient, type SqlQueryable, toDatabase } from "./sql-client";
import { sqlState } from "./sql-errors";

// What a racing instance's concurrent DDL or insert surfaces as: the table or
// type exists already (42P07, 42710, 23505 on a catalog index), a lost
// serializable race (40001), a deadlock (40P01), or a catalog row updated
// concurrently (XX000 "tuple concurrently updated").
const RACE = new Set(["42P07", "42710", "23505", "40001", "40P01", "XX000"]);
const ATTEMPTS = 20;

/**
 * Applies the package's migrations that the database does not have yet, each
 * in its own transaction with its version recorded in
 * `cosmic_allocation_migrations`. Safe at every start, and when several
 * instances start at once at any isolation level: an instance that loses a
 * race (the other created the table first, or recorded the version first)
 * rolls back, reads what is applied now, and carries on. No advisory locks,
 * so it also runs on CockroachDB and YugabyteDB.
 *
 * @param db - a `pg` Pool, a PGlite instance, or any {@link SqlClient}
 * @returns the versions this call applied, in order (empty when up to date)
 * @example
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * import { migrate } from "cosmic-allocation/postgres";
 *
 * const db = await PGlite.create();
 * console.log(await migrate(db)); // [1, 2, 3]
 * console.log(await migrate(db)); // []
 * ```
 */
export async function migrate(db: SqlClient): Promise<number[]> {
  return applyMigrations(db, shipped);
}

/** @internal */
export async function applyMigrations(
  client: SqlClient,
  migrations: readonly Migration[],
): Promise<number[]> {
  const db = toDatabase(client);
  await retryRaces(() =>
    db.query(
      `CREATE TABLE IF NOT EXISTS cosmic_allocation_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    ),
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await retryRaces(() =>
      db.inTransaction(async (tx) => {
        if (await isApplied(tx, migration.version)) return false;
        for (const statement of migration.statements) await tx.query(statement);
        // A racing instance that got here first makes this insert fail (or
        // wait, then fail), and the whole migration rolls back.
        await tx.query("INSERT INTO cosmic_allocation_migrations (version, name) VALUES ($1, $2)", [
          migration.version,
          migration.name,
        ]);
        return true;
      }),
    );
    if (ran) applied.push(migration.version);
  }
  return applied;
}

async function isApplied(tx: SqlQueryable, version: number): Promise<boolean> {
  const { rows } = await tx.query("SELECT 1 FROM cosmic_allocation_migrations WHERE version = $1", [
    version,
  ]);
  return rows.length > 0;
}

async function retryRaces<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= ATTEMPTS || state === undefined || !RACE.has(state)) throw error;
      // The winner's transaction is short: a few milliseconds, with jitter so
      // that the losers do not collide again in step.
      await sleep(Math.random() * 10 * attempt);
    }
  }
}
