import { describe, expect, it } from "vitest";
import {
  Batch,
  InMemoryStore,
  OrderLine,
  Product,
  type ProductStorage,
  trackUnitOfWork,
} from "../index";
import type { CommitPlan } from "./product-storage";

async function seeded(...products: Product[]): Promise<InMemoryStore> {
  const store = new InMemoryStore();
  const uow = store.unitOfWork();
  for (const product of products) await uow.products.add(product);
  await uow.commit();
  return store;
}

describe("the sealed aggregate cannot lose a change (issue 9's reproducer)", () => {
  it("a batch read through a product offers no way to change the stock, so nothing is lost on commit", async () => {
    const store = await seeded(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
    const uow = store.unitOfWork();
    const product = await uow.products.get("LAMP");
    const view = product?.batches[0] as unknown as { allocate?: unknown };
    expect(view.allocate).toBeUndefined();
    expect(() =>
      (view as { allocate: (line: OrderLine) => void }).allocate(new OrderLine("o1", "LAMP", 4)),
    ).toThrow(TypeError);
    product?.allocate(new OrderLine("o1", "LAMP", 4));
    expect(product?.batches[0]?.availableQuantity).toBe(6);
    await uow.commit();
    const check = store.unitOfWork();
    expect((await check.products.get("LAMP"))?.batches[0]?.availableQuantity).toBe(6);
  });
});

/** A storage that records every commit plan and keeps products as JSON. */
function recordingStorage(): ProductStorage & {
  readonly plans: CommitPlan[];
  readonly rows: Map<string, string>;
} {
  const rows = new Map<string, string>();
  const plans: CommitPlan[] = [];
  return {
    rows,
    plans,
    async load(sku) {
      const json = rows.get(sku);
      return json === undefined ? undefined : Product.fromJSON(JSON.parse(json));
    },
    async skuOfBatch(reference) {
      for (const [sku, json] of rows) if (json.includes(`"reference":"${reference}"`)) return sku;
      return undefined;
    },
    async skusOfOrder() {
      return [];
    },
    async save(plan) {
      plans.push(plan);
      for (const { product } of plan.products) rows.set(product.sku, JSON.stringify(product));
    },
  };
}

describe("trackUnitOfWork: the bookkeeping every adapter shares", () => {
  it("hands save only what changed: placed and released lines, new quantities, new batches", async () => {
    const storage = recordingStorage();
    const setup = trackUnitOfWork(storage);
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    product.allocate(new OrderLine("old", "LAMP", 1));
    await setup.products.add(product);
    await setup.commit();
    expect(storage.plans[0]?.products[0]?.readVersion).toBeNull();
    expect(storage.plans[0]?.products[0]?.allocated.map(({ line }) => line.orderid)).toEqual([
      "old",
    ]);

    const uow = trackUnitOfWork(storage);
    const lamp = (await uow.products.get("LAMP")) as Product;
    lamp.allocate(new OrderLine("o1", "LAMP", 2));
    lamp.allocate(new OrderLine("gone", "LAMP", 1));
    lamp.deallocate(new OrderLine("gone", "LAMP", 1));
    lamp.deallocate(new OrderLine("old", "LAMP", 1));
    lamp.addBatch(new Batch("b2", "LAMP", 5));
    lamp.changeBatchQuantity("b1", 20);
    await uow.commit();
    const [changes] = storage.plans[1]?.products ?? [];
    expect(changes?.readVersion).toBe(1);
    expect(changes?.allocated.map(({ line, batchref }) => `${line.orderid}@${batchref}`)).toEqual([
      "o1@b1",
    ]);
    expect(changes?.deallocated.map(({ line }) => line.orderid)).toEqual(["old"]);
    expect(changes?.addedBatches.map((batch) => batch.reference)).toEqual(["b2"]);
    expect(changes?.changedQuantities).toEqual([{ reference: "b1", qty: 20 }]);
  });

  it("a batch added in the unit of work is written whole: its lines come as placed, its quantity with it", async () => {
    const storage = recordingStorage();
    const setup = trackUnitOfWork(storage);
    await setup.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 1)]));
    await setup.commit();
    const uow = trackUnitOfWork(storage);
    const lamp = (await uow.products.get("LAMP")) as Product;
    lamp.addBatch(new Batch("b2", "LAMP", 5));
    lamp.allocate(new OrderLine("o1", "LAMP", 3));
    lamp.allocate(new OrderLine("o2", "LAMP", 1));
    lamp.deallocate(new OrderLine("o2", "LAMP", 1));
    lamp.changeBatchQuantity("b2", 4);
    await uow.commit();
    const [changes] = storage.plans[1]?.products ?? [];
    expect(
      changes?.addedBatches.map((batch) => [batch.reference, batch.purchasedQuantity]),
    ).toEqual([["b2", 4]]);
    expect(changes?.changedQuantities).toEqual([]);
    expect(changes?.allocated.map(({ line, batchref }) => `${line.orderid}@${batchref}`)).toEqual([
      "o1@b2",
    ]);
    expect(changes?.deallocated).toEqual([]);
  });

  it("two reads of one sku at once in a unit of work give one object", async () => {
    const store = await seeded(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
    const uow = store.unitOfWork();
    const [first, second] = await Promise.all([uow.products.get("LAMP"), uow.products.get("LAMP")]);
    expect(first).toBe(second);
    expect(await uow.products.getByBatchRef("b1")).toBe(first);
    await uow.rollback();
  });

  it("a line released and placed again in the same batch is written as both, since it moved to the end", async () => {
    const storage = recordingStorage();
    const setup = trackUnitOfWork(storage);
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    product.allocate(new OrderLine("o1", "LAMP", 2));
    product.allocate(new OrderLine("o2", "LAMP", 2));
    await setup.products.add(product);
    await setup.commit();
    const uow = trackUnitOfWork(storage);
    const lamp = (await uow.products.get("LAMP")) as Product;
    lamp.deallocate(new OrderLine("o1", "LAMP", 2));
    lamp.allocate(new OrderLine("o1", "LAMP", 2));
    await uow.commit();
    const [changes] = storage.plans[1]?.products ?? [];
    expect(changes?.deallocated.map(({ line }) => line.orderid)).toEqual(["o1"]);
    expect(changes?.allocated.map(({ line }) => line.orderid)).toEqual(["o1"]);
  });

  it("collects the events of every product it touched, in the order they were recorded, once", async () => {
    const store = await seeded(
      new Product("LAMP", [new Batch("l1", "LAMP", 10)]),
      new Product("SOFA", [new Batch("s1", "SOFA", 1)]),
    );
    const uow = store.unitOfWork();
    const lamp = (await uow.products.get("LAMP")) as Product;
    const sofa = (await uow.products.get("SOFA")) as Product;
    lamp.allocate(new OrderLine("o1", "LAMP", 1));
    sofa.allocate(new OrderLine("o1", "SOFA", 1));
    lamp.allocate(new OrderLine("o2", "LAMP", 1));
    expect(() => sofa.allocate(new OrderLine("o2", "SOFA", 1))).toThrow();
    expect(uow.collectNewEvents()).toEqual([]);
    await uow.commit();
    expect(
      uow.collectNewEvents().map((event) => `${event.type}:${event.sku}:${event.orderid}`),
    ).toEqual([
      "Allocated:LAMP:o1",
      "Allocated:SOFA:o1",
      "Allocated:LAMP:o2",
      "OutOfStock:SOFA:o2",
    ]);
    expect(uow.collectNewEvents()).toEqual([]);
  });

  it("a rolled-back unit of work yields no events and saves nothing", async () => {
    const storage = recordingStorage();
    const uow = trackUnitOfWork(storage);
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    product.allocate(new OrderLine("o1", "LAMP", 1));
    await uow.products.add(product);
    await uow.rollback();
    expect(uow.collectNewEvents()).toEqual([]);
    expect(storage.plans).toEqual([]);
  });

  it("an OutOfStock from a unit of work that changed no stock is still saved, as an event alone", async () => {
    const storage = recordingStorage();
    const setup = trackUnitOfWork(storage);
    await setup.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 1)]));
    await setup.commit();
    const uow = trackUnitOfWork(storage);
    const lamp = (await uow.products.get("LAMP")) as Product;
    expect(() => lamp.allocate(new OrderLine("o1", "LAMP", 5))).toThrow();
    await uow.commit();
    expect(storage.plans[1]?.products).toEqual([]);
    expect(storage.plans[1]?.events.map((event) => event.type)).toEqual(["OutOfStock"]);
  });

  it("a commit with nothing to write calls no save at all, only discard to take back what load lent", async () => {
    let discarded = 0;
    const storage = {
      ...recordingStorage(),
      async discard() {
        discarded += 1;
      },
    };
    const uow = trackUnitOfWork(storage);
    await uow.products.get("LAMP");
    await uow.commit();
    expect(storage.plans).toEqual([]);
    expect(discarded).toBe(1);
  });

  it("refuses a storage without its methods with a typed error", () => {
    expect(() => trackUnitOfWork({} as ProductStorage)).toThrow(
      expect.objectContaining({ code: "VALIDATION_ERROR" }),
    );
  });
});
