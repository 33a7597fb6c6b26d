import { DuplicateBatch, InMemoryStore, services } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchRejection } from "../../test/catch-error";

// A batch reference names one batch in the whole store, not one per product:
// deallocate and changeBatchQuantity find a product by it.
describe("a batch reference is unique across products", () => {
  it("adding a batch whose reference another product's batch has throws DuplicateBatch and adds nothing", async () => {
    const store = new InMemoryStore();
    const uow = () => store.unitOfWork();
    await services.addBatch({ ref: "b1", sku: "RED-CHAIR", qty: 10, eta: null }, uow);

    const error = await catchRejection(() =>
      services.addBatch({ ref: "b1", sku: "BLUE-LAMP", qty: 5, eta: null }, uow),
    );

    expect(DuplicateBatch.is(error)).toBe(true);
    const check = store.unitOfWork();
    expect(await check.products.get("BLUE-LAMP")).toBeUndefined();
    expect((await check.products.getByBatchRef("b1"))?.sku).toBe("RED-CHAIR");
    await check.rollback();
  });
});
