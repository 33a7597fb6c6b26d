/**
 * What a statement answers: its rows. Drivers add more (counts, fields); the
 * adapter reads only this.
 *
 * @example
 * ```ts
 * import type { SqlResult } from "cosmic-allocation/postgres";
 *
 * const none: SqlResult = { rows: [] };
 * console.log(none.rows.length); // 0
 * ```
 */
export interface SqlResult {
  /** The rows, as objects keyed by column name. */
  readonly rows: readonly unknown[];
}

/**
 * What the adapter needs to send one statement: a `query(text, params)` that
 * resolves to the rows. A `pg` Pool or client, a PGlite instance and PGlite's
 * transaction handle all have it as they are.
 *
 * @example
 * ```ts
 * import type { SqlQueryable } from "cosmic-allocation/postgres";
 *
 * const countProducts = async (db: SqlQueryable): Promise<number> => {
 *   const { rows } = await db.query("SELECT count(*)::int AS n FROM products");
 *   return (rows[0] as { n: number }).n;
 * };
 * ```
 */
export interface SqlQueryable {
  /**
   * Runs one statement with `$1`-style parameters.
   *
   * @param text - one SQL statement
   * @param params - its parameters: strings, numbers, null, and arrays of them
   * @returns the rows, as objects keyed by column name
   */
  query(text: string, params?: unknown[]): Promise<SqlResult>;
}

/**
 * The client the adapter takes: anything that runs a statement, and a way to
 * run several statements in one transaction on one connection. Either:
 * - `transaction(work)`, which runs `work` inside BEGIN ... COMMIT on one
 *   connection and rolls back if it throws (PGlite has it as it is), or
 * - `connect()`, which checks out one connection with `release()` (a `pg` Pool).
 *
 * Any other driver fits in a few lines; docs/postgres.md shows postgres.js.
 *
 * @example
 * ```ts
 * import type { SqlClient } from "cosmic-allocation/postgres";
 *
 * // A client over any driver with `run(text, params)` and `inTransaction(work)`.
 * const adapt = (driver: {
 *   run(text: string, params?: unknown[]): Promise<unknown[]>;
 *   inTransaction<T>(work: (run: (text: string, params?: unknown[]) => Promise<unknown[]>) => Promise<T>): Promise<T>;
 * }): SqlClient => ({
 *   query: async (text, params) => ({ rows: await driver.run(text, params) }),
 *   transaction: (work) =>
 *     driver.inTransaction((run) => work({ query: async (text, params) => ({ rows: await run(text, params) }) })),
 * });
 * ```
 */
export interface SqlClient extends SqlQueryable {
  /**
   * Runs `work` in one transaction on one connection: commits when it
   * resolves, rolls back when it throws. PGlite's `transaction` is this.
   */
  transaction?<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Checks out one connection, given back with `release()`; a `pg` Pool's `connect` is this. */
  connect?(): Promise<SqlConnection>;
}

/**
 * One checked-out connection of a pool, as a `pg` Pool's `connect()` gives it.
 *
 * @example
 * ```ts
 * import type { SqlConnection } from "cosmic-allocation/postgres";
 *
 * const ping = async (connection: SqlConnection): Promise<void> => {
 *   try {
 *     await connection.query("SELECT 1");
 *   } finally {
 *     connection.release();
 *   }
 * };
 * ```
 */
export interface SqlConnection extends SqlQueryable {
  /**
   * Gives the connection back to its pool.
   *
   * @param error - when set, the pool closes the connection instead of reusing it
   */
  release(error?: Error | boolean): void;
}

/** @internal */
export interface SqlDatabase extends SqlQueryable {
  inTransaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Whether {@link SqlDatabase.run} prepares statements (a `pg` Pool), so that planning costs nothing. */
  readonly prepares: boolean;
  /** Runs a named statement on `db` (this database or a transaction of it), prepared where the client can. */
  run(
    db: SqlQueryable,
    statement: { readonly name: string; readonly text: string; readonly values: unknown[] },
  ): Promise<SqlResult>;
}

// A pg Pool and its clients take `{ name, text, values }` and then plan the
// statement once per connection; other clients get the text and parameters.
const prepared: SqlDatabase["run"] = (db, statement) =>
  (db as unknown as { query(config: object): Promise<SqlResult> }).query(statement);
const unprepared: SqlDatabase["run"] = (db, { text, values }) => db.query(text, values);

/**
 * Recognises the client by its shape: `transaction` first (PGlite), then
 * `connect` (a `pg` Pool).
 *
 * @internal
 */
export function toDatabase(client: SqlClient, prepare = true): SqlDatabase {
  if (
    typeof client !== "object" ||
    client === null ||
    typeof (client as { query?: unknown }).query !== "function"
  ) {
    throw new TypeError(
      "cosmic-allocation/postgres needs a client with query(text, params): a pg Pool, a PGlite instance, or see docs/postgres.md",
    );
  }
  const query = (text: string, params?: unknown[]) => client.query(text, params);
  if (typeof client.transaction === "function") {
    const transaction = client.transaction.bind(client);
    return { query, inTransaction: (work) => transaction(work), prepares: false, run: unprepared };
  }
  if (typeof client.connect === "function") {
    const connect = client.connect.bind(client);
    // pg-pool's counters tell a pg Pool from another driver's pool.
    const isPg = typeof (client as { totalCount?: unknown }).totalCount === "number";
    return {
      query,
      inTransaction: (work) => onOneConnection(connect, work),
      prepares: prepare && isPg,
      run: prepare && isPg ? prepared : unprepared,
    };
  }
  throw new TypeError(
    "cosmic-allocation/postgres needs a client with transaction(work) (PGlite) or connect() (a pg Pool), to run a commit on one connection",
  );
}

async function onOneConnection<T>(
  connect: () => Promise<SqlConnection>,
  work: (tx: SqlQueryable) => Promise<T>,
): Promise<T> {
  const connection = await connect();
  if (typeof connection?.release !== "function") {
    throw new TypeError(
      "connect() must check out a pooled connection with release(): pass a pg Pool, not a Client",
    );
  }
  let broken: Error | undefined;
  try {
    await connection.query("BEGIN");
    const result = await work(connection);
    await connection.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await connection.query("ROLLBACK");
    } catch (rollbackError) {
      // The connection is unusable: the pool must close it, not reuse it.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    connection.release(broken);
  }
}
