// Two orders competing for the last units of two skus, on PostgreSQL: under
// any interleaving fast-check's scheduler picks for their repository calls
// and commits, exactly one gets them, the other is refused whole, and neither
// deadlocks (products are read and written in sku order).
import { Batch, OrderNotAllocated, Product, services } from "cosmic-allocation";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backends,
  failWithoutPostgresUnderCI,
  type TestDatabase,
  uniqueName,
} from "../../../test/postgres/backends";
import { ScheduledStore } from "../../../test/scheduled-store";
import { PostgresStore } from "./index";

failWithoutPostgresUnderCI();

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(`orders under concurrency on ${backend.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.open();
    }, 60_000);
    afterAll(() => database?.close());

    it("two orders competing for the last units of two skus never both get them, and never deadlock", async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), fc.boolean(), async (s, reversed) => {
          const store = new PostgresStore(database.client);
          const lamp = uniqueName("lamp");
          const sofa = uniqueName("sofa");
          const setup = store.unitOfWork();
          await setup.products.add(new Product(lamp, [new Batch(`${lamp}-b`, lamp, 1)]));
          await setup.products.add(new Product(sofa, [new Batch(`${sofa}-b`, sofa, 1)]));
          await setup.commit();
          const scheduled = new ScheduledStore(store, s);
          const lines = [
            { sku: lamp, qty: 1 },
            { sku: sofa, qty: 1 },
          ];
          const attempt = (orderid: string, order: typeof lines) =>
            services
              .allocateOrder({ orderid, lines: order }, scheduled.factoryFor(orderid), {
                backoff: () => 0,
                retries: 20,
              })
              .then(
                () => "allocated",
                (error: unknown) => (OrderNotAllocated.is(error) ? "refused" : error),
              );
          const o1 = uniqueName("o1");
          const o2 = uniqueName("o2");
          const results = await s.waitFor(
            Promise.all([attempt(o1, lines), attempt(o2, reversed ? [...lines].reverse() : lines)]),
          );
          expect([...results].sort()).toEqual(["allocated", "refused"]);
          const held = [
            (await store.allocationsFor(o1)).length,
            (await store.allocationsFor(o2)).length,
          ].sort();
          expect(held).toEqual([0, 2]);
        }),
        { numRuns: Number(process.env.FC_NUM_RUNS ?? 15) },
      );
    }, 120_000);
  });
}
