import { PostgresStore } from "cosmic-allocation/postgres";
import { unitOfWorkContract } from "cosmic-allocation/testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { OpenDatabase } from "../src/database.js";
import { backends, failWithoutPostgresUnderCI } from "./backends.js";

failWithoutPostgresUnderCI();

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(
    `the library's unit-of-work contract on ${backend.name}`,
    () => {
      let database: OpenDatabase;
      beforeAll(async () => {
        database = await backend.open();
      });
      afterAll(() => database?.close());

      for (const check of unitOfWorkContract(() => {
        const store = new PostgresStore(database.db);
        return () => store.unitOfWork();
      })) {
        it(check.name, check.run);
      }
    },
  );
}
