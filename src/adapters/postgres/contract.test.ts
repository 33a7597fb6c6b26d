// The library's unit-of-work contract, against the packaged PostgreSQL adapter:
// on PGlite always, and on PostgreSQL 15 at READ COMMITTED and at SERIALIZABLE
// (where every lost race is a serialization failure) when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, it } from "vitest";
import {
  backends,
  failWithoutPostgresUnderCI,
  type TestDatabase,
} from "../../../test/postgres/backends";
import { unitOfWorkContract } from "../../testing/index";
import { PostgresStore } from "./postgres-store";

failWithoutPostgresUnderCI();

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(
    `the unit-of-work contract on ${backend.name}`,
    () => {
      let database: TestDatabase;
      beforeAll(async () => {
        database = await backend.open();
      }, 60_000);
      afterAll(() => database?.close());

      for (const cacheSize of [1000, 0]) {
        describe(`with a product cache of ${cacheSize}`, () => {
          for (const check of unitOfWorkContract(() => {
            const store = new PostgresStore(database.client, { cacheSize });
            return () => store.unitOfWork();
          })) {
            it(check.name, check.run);
          }
        });
      }
    },
  );
}
