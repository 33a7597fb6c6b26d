/**
 * The PostgreSQL adapter of `cosmic-allocation`: a unit of work whose cost does
 * not grow with history, versioned migrations, a transactional outbox with its
 * relay, and a read model of orders. It imports no driver: pass the client you
 * have (a `pg` Pool, PGlite, or any driver through {@link SqlClient}).
 *
 * @example
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * import { migrate, PostgresStore } from "cosmic-allocation/postgres";
 *
 * const db = await PGlite.create();
 * await migrate(db);
 * const store = new PostgresStore(db);
 * const uow = store.unitOfWork();
 * console.log(await uow.products.get("LAMP")); // undefined
 * await uow.rollback();
 * ```
 *
 * @packageDocumentation
 * @module cosmic-allocation/postgres
 */
export { migrate } from "./migrate";
export { type Migration, migrations } from "./migrations";
export { PostgresStore, type PostgresStoreOptions } from "./postgres-store";
export type { SqlClient, SqlConnection, SqlQueryable, SqlResult } from "./sql-client";
