import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { migrate } from "./migrate.js";
import { poolDatabase, type SqlDatabase } from "./sql.js";

/** An open, migrated database and how to close it. */
export interface OpenDatabase {
  readonly db: SqlDatabase;
  /** "postgres" for a server reached by URL, "pglite" for the embedded one. */
  readonly kind: "postgres" | "pglite";
  close(): Promise<void>;
}

/** Where the data lives: a PostgreSQL URL, or PGlite (in memory, or in a folder). */
export interface DatabaseOptions {
  readonly url?: string | undefined;
  readonly pgliteDir?: string | undefined;
  readonly poolSize?: number | undefined;
}

/**
 * Opens the database the service runs on and applies the migrations: a real
 * PostgreSQL server when a URL is given, PGlite otherwise.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<OpenDatabase> {
  if (options.url !== undefined && options.url !== "") {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client that errors (the server restarted) must not crash the process.
    pool.on("error", (error) => console.error("postgres pool:", error.message));
    const db = poolDatabase(pool);
    try {
      await migrate(db);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return { db, kind: "postgres", close: () => pool.end() };
  }
  const lite = await PGlite.create(options.pgliteDir ?? "memory://");
  await migrate(lite);
  return { db: lite, kind: "pglite", close: () => lite.close() };
}
