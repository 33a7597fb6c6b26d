import { DuplicateBatch, InMemoryStore, services, type UnitOfWorkFactory } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { NaiveStore } from "../../test/broken-adapters";
import { catchRejection } from "../../test/catch-error";

// A batch reference names one batch in the whole store, not one per product:
// deallocate and changeBatchQuantity find a product by it. addBatch checks it
// itself, before any write, so that an adapter without a unique index on batch
// references (the naive store here) keeps the rule too.
const stores: ReadonlyArray<readonly [string, () => { open: UnitOfWorkFactory }]> = [
  [
    "InMemoryStore",
    () => {
      const store = new InMemoryStore();
      return { open: () => store.unitOfWork() };
    },
  ],
  [
    "an adapter with no unique index on batch references",
    () => {
      const store = new NaiveStore();
      return { open: () => store.unitOfWork() };
    },
  ],
];

describe("a batch reference is unique across products", () => {
  it.each(stores)(
    "on %s, adding a batch whose reference another product's batch has throws DuplicateBatch and adds nothing",
    async (_name, makeStore) => {
      const { open } = makeStore();
      await services.addBatch({ ref: "b1", sku: "RED-CHAIR", qty: 10, eta: null }, open);

      const error = await catchRejection(() =>
        services.addBatch({ ref: "b1", sku: "BLUE-LAMP", qty: 5, eta: null }, open),
      );

      expect(DuplicateBatch.is(error)).toBe(true);
      const check = await open();
      expect(await check.products.get("BLUE-LAMP")).toBeUndefined();
      expect((await check.products.getByBatchRef("b1"))?.sku).toBe("RED-CHAIR");
      await check.rollback();
    },
  );
});
