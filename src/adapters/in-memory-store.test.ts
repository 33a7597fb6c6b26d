import {
  Batch,
  ConcurrencyConflict,
  DuplicateBatch,
  DuplicateProduct,
  InMemoryStore,
  OrderLine,
  Product,
  UnitOfWorkClosed,
  ValidationError,
} from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchRejection } from "../../test/catch-error";

async function seeded(...products: Product[]): Promise<InMemoryStore> {
  const store = new InMemoryStore();
  const uow = store.unitOfWork();
  for (const product of products) await uow.products.add(product);
  await uow.commit();
  return store;
}

describe("the in-memory unit of work (the book's chapter 6)", () => {
  it("can retrieve a batch and allocate to it", async () => {
    const store = await seeded(
      new Product("HIPSTER-WORKBENCH", [new Batch("batch1", "HIPSTER-WORKBENCH", 100)]),
    );
    const uow = store.unitOfWork();
    const product = await uow.products.get("HIPSTER-WORKBENCH");
    product?.allocate(new OrderLine("o1", "HIPSTER-WORKBENCH", 10));
    await uow.commit();

    const check = store.unitOfWork();
    expect((await check.products.getByBatchRef("batch1"))?.getBatch("batch1")?.allocations).toEqual(
      [new OrderLine("o1", "HIPSTER-WORKBENCH", 10)],
    );
  });

  it("rolls back uncommitted work by default", async () => {
    const store = new InMemoryStore();
    {
      await using uow = store.unitOfWork();
      await uow.products.add(
        new Product("MEDIUM-PLINTH", [new Batch("batch1", "MEDIUM-PLINTH", 100)]),
      );
    }
    const uow = store.unitOfWork();
    expect(await uow.products.get("MEDIUM-PLINTH")).toBeUndefined();
  });

  it("rolls back on error", async () => {
    const store = new InMemoryStore();
    const error = await catchRejection(async () => {
      await using uow = store.unitOfWork();
      await uow.products.add(new Product("LARGE-FORK", [new Batch("batch1", "LARGE-FORK", 100)]));
      throw new Error("MyException");
    });
    expect((error as Error).message).toBe("MyException");
    const uow = store.unitOfWork();
    expect(await uow.products.get("LARGE-FORK")).toBeUndefined();
  });
});

describe("private copies", () => {
  it("a product read in a unit of work is a copy: changing it changes nothing stored until commit", async () => {
    const store = await seeded(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
    const writer = store.unitOfWork();
    const mine = await writer.products.get("LAMP");
    mine?.allocate(new OrderLine("o1", "LAMP", 4));
    const reader = store.unitOfWork();
    expect((await reader.products.get("LAMP"))?.getBatch("b1")?.availableQuantity).toBe(10);
  });

  it("a product object kept after commit cannot change the store", async () => {
    const store = await seeded(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
    const uow = store.unitOfWork();
    const kept = await uow.products.get("LAMP");
    await uow.commit();
    kept?.allocate(new OrderLine("o1", "LAMP", 4));
    const check = store.unitOfWork();
    expect((await check.products.get("LAMP"))?.getBatch("b1")?.availableQuantity).toBe(10);
  });

  it("a product object kept after a commit that changed it cannot change the store", async () => {
    const store = await seeded(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
    const uow = store.unitOfWork();
    const kept = await uow.products.get("LAMP");
    kept?.allocate(new OrderLine("o1", "LAMP", 4));
    await uow.commit();
    kept?.allocate(new OrderLine("o2", "LAMP", 1));
    kept?.changeBatchQuantity("b1", 1);
    const check = store.unitOfWork();
    const stored = await check.products.get("LAMP");
    expect(stored?.getBatch("b1")?.allocations.map((line) => line.orderid)).toEqual(["o1"]);
    expect(stored?.versionNumber).toBe(1);
  });

  it("an added product keeps its events out of the store", async () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    product.allocate(new OrderLine("o1", "LAMP", 1));
    const store = await seeded(product);
    const uow = store.unitOfWork();
    expect((await uow.products.get("LAMP"))?.events).toEqual([]);
  });
});

describe("commit", () => {
  it("throws ConcurrencyConflict when the product's version moved since it was read, and applies nothing", async () => {
    const store = await seeded(
      new Product("LAMP", [new Batch("b1", "LAMP", 10)]),
      new Product("TABLE", [new Batch("t1", "TABLE", 10)]),
    );
    const slow = store.unitOfWork();
    (await slow.products.get("TABLE"))?.allocate(new OrderLine("t", "TABLE", 1));
    (await slow.products.get("LAMP"))?.allocate(new OrderLine("slow", "LAMP", 1));
    const fast = store.unitOfWork();
    (await fast.products.get("LAMP"))?.allocate(new OrderLine("fast", "LAMP", 1));
    await fast.commit();

    const error = await catchRejection(() => slow.commit());

    expect(ConcurrencyConflict.is(error)).toBe(true);
    expect(error).toMatchObject({ sku: "LAMP" });
    const check = store.unitOfWork();
    expect((await check.products.get("TABLE"))?.getBatch("t1")?.availableQuantity).toBe(10);
    expect(
      (await check.products.get("LAMP"))?.getBatch("b1")?.allocations.map((line) => line.orderid),
    ).toEqual(["fast"]);
  });

  it("throws ConcurrencyConflict when another unit of work created the same sku first", async () => {
    const store = new InMemoryStore();
    const first = store.unitOfWork();
    const second = store.unitOfWork();
    await first.products.add(new Product("LAMP"));
    await second.products.add(new Product("LAMP"));
    await first.commit();
    expect(ConcurrencyConflict.is(await catchRejection(() => second.commit()))).toBe(true);
  });

  it("does not conflict over products that were only read", async () => {
    const store = await seeded(
      new Product("LAMP", [new Batch("b1", "LAMP", 10)]),
      new Product("TABLE", [new Batch("t1", "TABLE", 10)]),
    );
    const reader = store.unitOfWork();
    await reader.products.get("LAMP");
    (await reader.products.get("TABLE"))?.allocate(new OrderLine("o1", "TABLE", 1));
    const writer = store.unitOfWork();
    (await writer.products.get("LAMP"))?.allocate(new OrderLine("o2", "LAMP", 1));
    await writer.commit();
    await reader.commit();
  });

  it("refuses a batch reference another product holds, and applies nothing", async () => {
    const store = await seeded(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
    const uow = store.unitOfWork();
    await uow.products.add(new Product("TABLE", [new Batch("b1", "TABLE", 1)]));
    expect(DuplicateBatch.is(await catchRejection(() => uow.commit()))).toBe(true);
    const racing = [store.unitOfWork(), store.unitOfWork()];
    await racing[0]?.products.add(new Product("CHAIR", [new Batch("c1", "CHAIR", 1)]));
    await racing[1]?.products.add(new Product("SOFA", [new Batch("c1", "SOFA", 1)]));
    await racing[0]?.commit();
    expect(DuplicateBatch.is(await catchRejection(async () => racing[1]?.commit()))).toBe(true);
    const check = store.unitOfWork();
    expect(await check.products.get("TABLE")).toBeUndefined();
    expect(await check.products.get("SOFA")).toBeUndefined();
    expect((await check.products.getByBatchRef("c1"))?.sku).toBe("CHAIR");
  });

  it("refuses two new products in one unit of work that share a batch reference", async () => {
    const uow = new InMemoryStore().unitOfWork();
    await uow.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 1)]));
    await uow.products.add(new Product("TABLE", [new Batch("b1", "TABLE", 1)]));
    expect(DuplicateBatch.is(await catchRejection(() => uow.commit()))).toBe(true);
  });
});

describe("a unit of work is one transaction", () => {
  it.each(["commit", "rollback"] as const)("refuses every use after %s", async (end) => {
    const uow = new InMemoryStore().unitOfWork();
    await uow[end]();
    const state = end === "commit" ? "committed" : "rolled back";
    for (const use of [
      () => uow.products.get("LAMP"),
      () => uow.products.getByBatchRef("b1"),
      () => uow.products.add(new Product("LAMP")),
      () => uow.commit(),
      () => uow.rollback(),
    ]) {
      const error = await catchRejection(use);
      expect(UnitOfWorkClosed.is(error)).toBe(true);
      expect(error).toMatchObject({ state });
    }
    await uow[Symbol.asyncDispose]();
  });

  it("is closed after a commit that failed", async () => {
    const store = new InMemoryStore();
    const [first, second] = [store.unitOfWork(), store.unitOfWork()];
    await first.products.add(new Product("LAMP"));
    await second.products.add(new Product("LAMP"));
    await first.commit();
    await catchRejection(() => second.commit());
    expect(UnitOfWorkClosed.is(await catchRejection(() => second.products.get("LAMP")))).toBe(true);
  });
});

describe("the repository", () => {
  it("refuses to add a sku it already has", async () => {
    const store = await seeded(new Product("LAMP"));
    const uow = store.unitOfWork();
    expect(
      DuplicateProduct.is(await catchRejection(() => uow.products.add(new Product("LAMP")))),
    ).toBe(true);
    await uow.products.add(new Product("TABLE"));
    expect(
      DuplicateProduct.is(await catchRejection(() => uow.products.add(new Product("TABLE")))),
    ).toBe(true);
  });

  it("checks its arguments", async () => {
    const uow = new InMemoryStore().unitOfWork();
    for (const use of [
      () => uow.products.get(1 as never),
      () => uow.products.getByBatchRef("" as never),
      () => uow.products.add({} as never),
    ]) {
      expect(ValidationError.is(await catchRejection(use))).toBe(true);
    }
  });

  it("finds products by batch reference after batches are added", async () => {
    const store = await seeded(new Product("LAMP", [new Batch("b1", "LAMP", 1)]));
    const uow = store.unitOfWork();
    (await uow.products.get("LAMP"))?.addBatch(new Batch("b2", "LAMP", 1));
    expect((await uow.products.getByBatchRef("b2"))?.sku).toBe("LAMP");
    await uow.commit();
    const check = store.unitOfWork();
    expect((await check.products.getByBatchRef("b2"))?.sku).toBe("LAMP");
  });
});
