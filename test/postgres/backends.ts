// The databases the PostgreSQL adapter's tests run on: PGlite always; a real
// PostgreSQL server at READ COMMITTED and at SERIALIZABLE (the isolation
// CockroachDB and YugabyteDB run) when TEST_DATABASE_URL names one.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { it } from "vitest";
import { migrate, type SqlClient } from "../../src/adapters/postgres/index";

/** An open, migrated database and how to close it. */
export interface TestDatabase {
  readonly client: SqlClient;
  close(): Promise<void>;
}

/** A database the tests run against, or why they cannot. */
export interface Backend {
  readonly name: string;
  /** Why this backend's tests are skipped; undefined when they run. */
  readonly skip: string | undefined;
  /** True when commits of one store can truly run at once (not PGlite's single connection). */
  readonly concurrent: boolean;
  open(): Promise<TestDatabase>;
}

const url = process.env.TEST_DATABASE_URL;
const underCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
const noServer = url === undefined || url === "" ? "TEST_DATABASE_URL is not set" : undefined;

export const testDatabaseUrl: string | undefined = noServer === undefined ? url : undefined;

/** A `pg` Pool whose every connection runs at the given isolation level by default. */
export function poolAt(
  isolation: "read committed" | "serializable",
  connectionString: string = url ?? "",
  max = 10,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    options: `-c default_transaction_isolation=${isolation.replace(" ", "\\ ")}`,
  });
  pool.on("error", () => {});
  return pool;
}

const onServer = (isolation: "read committed" | "serializable"): Backend => ({
  name: `PostgreSQL at ${isolation.toUpperCase()}`,
  skip: noServer,
  concurrent: true,
  // A database of its own per open, so that test files running at once do not
  // see each other's outbox events.
  async open() {
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    const name = uniqueName("cosmic").toLowerCase().replace(/-/g, "_");
    await admin.query(`CREATE DATABASE ${name}`);
    const scratch = new URL(url as string);
    scratch.pathname = `/${name}`;
    const pool = poolAt(isolation, scratch.href);
    await migrate(pool);
    return {
      client: pool,
      async close() {
        await pool.end();
        await admin.query(`DROP DATABASE ${name}`);
        await admin.end();
      },
    };
  },
});

export const pglite: Backend = {
  name: "PGlite",
  skip: undefined,
  concurrent: false,
  async open() {
    const db = await PGlite.create();
    await migrate(db);
    return { client: db, close: () => db.close() };
  },
};

export const backends: readonly Backend[] = [
  pglite,
  onServer("read committed"),
  onServer("serializable"),
];

/** Under CI a missing server is a failure, not a skip: call at the top level of a file with server tests. */
export function failWithoutPostgresUnderCI(): void {
  if (noServer !== undefined && underCI) {
    it("has a PostgreSQL server to test against (required under CI)", () => {
      throw new Error(`PostgreSQL tests cannot run under CI: ${noServer}`);
    });
  }
}

/** A name unique to this test run, so that runs can share one database. */
export function uniqueName(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
}
