/**
 * The smallest database interface the adapter needs. A `pg` Pool, a `pg`
 * client and a PGlite instance (or its transaction handle) all have this
 * `query`; only the row arrays are read, never driver-specific counters.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

/**
 * A client that can also run work in one transaction on one connection.
 * PGlite satisfies it as it is: its `transaction()` holds the single
 * connection exclusively, so other queries wait instead of interleaving.
 * For a `pg` Pool, wrap it with {@link poolDatabase}.
 */
export interface SqlDatabase extends SqlClient {
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/** What {@link poolDatabase} needs of a `pg` Pool. */
export interface PoolLike extends SqlClient {
  connect(): Promise<SqlClient & { release(error?: Error | boolean): void }>;
}

/**
 * Adapts a `pg` Pool: plain queries go to any pooled connection, and each
 * transaction checks out one client for BEGIN ... COMMIT.
 */
export function poolDatabase(pool: PoolLike): SqlDatabase {
  return {
    query: (text, params) => pool.query(text, params),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          // The connection is unusable: tell the pool to discard it.
          broken =
            rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/** The SQLSTATE code of a database error, if the value is one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
