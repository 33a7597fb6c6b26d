import { PGlite } from "@electric-sql/pglite";
import { migrate, type SqlClient } from "cosmic-allocation/postgres";
import pg from "pg";

/** An open, migrated database and how to close it. */
export interface OpenDatabase {
  /** The client to give `PostgresStore`: a `pg` Pool or PGlite, as they are. */
  readonly db: SqlClient;
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
 * Opens the database the service runs on and applies the library's
 * migrations: a real PostgreSQL server when a URL is given, PGlite otherwise.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<OpenDatabase> {
  if (options.url !== undefined && options.url !== "") {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client that errors (the server restarted) must not crash the process.
    pool.on("error", (error) => console.error("postgres pool:", error.message));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return { db: pool, kind: "postgres", close: () => pool.end() };
  }
  const lite = await PGlite.create(options.pgliteDir ?? "memory://");
  try {
    await migrate(lite);
  } catch (error) {
    await lite.close();
    throw error;
  }
  return { db: lite, kind: "pglite", close: () => lite.close() };
}
