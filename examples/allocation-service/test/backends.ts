import { it } from "vitest";
import { type OpenDatabase, openDatabase } from "../src/database.js";

/** A database the tests run against, or why they cannot. */
export interface Backend {
  readonly name: string;
  /** The URL to pass as DATABASE_URL; undefined for PGlite. */
  readonly url: string | undefined;
  /** Why this backend's tests are skipped; undefined when they run. */
  readonly skip: string | undefined;
  open(): Promise<OpenDatabase>;
}

const url = process.env.TEST_DATABASE_URL;
export const underCI =
  process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

export const pglite: Backend = {
  name: "PGlite",
  url: undefined,
  skip: undefined,
  open: () => openDatabase(),
};

export const postgres: Backend = {
  name: "PostgreSQL",
  url,
  skip: url === undefined || url === "" ? "TEST_DATABASE_URL is not set" : undefined,
  open: () => openDatabase({ url }),
};

if (postgres.skip !== undefined && !underCI) {
  console.warn(
    `\n  Skipping the PostgreSQL tests: ${postgres.skip}. Set it to a server you may write to, e.g.\n` +
      "  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (CI starts a throwaway one).\n",
  );
}

export const backends: readonly Backend[] = [pglite, postgres];

/**
 * Under CI a missing database is a failure, not a skip: call this at the top
 * level of a file that has PostgreSQL tests.
 */
export function failWithoutPostgresUnderCI(): void {
  if (postgres.skip !== undefined && underCI) {
    it("has a PostgreSQL server to test against (required under CI)", () => {
      throw new Error(`PostgreSQL tests cannot run under CI: ${postgres.skip}`);
    });
  }
}

/** A prefix unique to this test run, so that runs can share one database. */
export function uniqueName(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
}
