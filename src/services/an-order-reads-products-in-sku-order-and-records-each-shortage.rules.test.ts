import {
  type DomainEvent,
  InMemoryStore,
  OrderNotAllocated,
  services,
  type UnitOfWork,
} from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchRejection } from "../../test/catch-error";

// A whole order touches several products. Every unit of work takes them in
// one order, sku order, so that two orders never wait on each other in
// opposite orders; an order that cannot be allocated changes no stock, but
// the business still learns of each line it was short of.

/** A store whose units of work record the skus they read, in order. */
function recordingStore(): { store: InMemoryStore; uow: () => UnitOfWork; reads: string[] } {
  const store = new InMemoryStore();
  const reads: string[] = [];
  const uow = (): UnitOfWork => {
    const inner = store.unitOfWork();
    return {
      products: {
        ...inner.products,
        get: (sku: string) => {
          reads.push(sku);
          return inner.products.get(sku);
        },
      },
      commit: () => inner.commit(),
      collectNewEvents: () => inner.collectNewEvents(),
      rollback: () => inner.rollback(),
      [Symbol.asyncDispose]: () => inner[Symbol.asyncDispose](),
    };
  };
  return { store, uow, reads };
}

describe("an order reads its products in sku order, and records each shortage", () => {
  it("the products of an order are read in sku order, whatever the order of its lines", async () => {
    const { uow, reads } = recordingStore();
    for (const sku of ["SOFA", "LAMP", "RUG"]) {
      await services.addBatch({ ref: `${sku}-1`, sku, qty: 10 }, uow);
    }
    reads.length = 0;
    const lines = [
      { sku: "SOFA", qty: 1 },
      { sku: "RUG", qty: 1 },
      { sku: "LAMP", qty: 1 },
    ];
    await services.allocateOrder({ orderid: "o1", lines }, uow);
    expect(reads).toEqual(["LAMP", "RUG", "SOFA"]);
  });

  it("an order that cannot be allocated publishes one OutOfStock per short line, in the order of the lines, and allocates nothing", async () => {
    const { uow } = recordingStore();
    await services.addBatch({ ref: "lamps", sku: "LAMP", qty: 1 }, uow);
    await services.addBatch({ ref: "sofas", sku: "SOFA", qty: 1 }, uow);
    await services.addBatch({ ref: "rugs", sku: "RUG", qty: 10 }, uow);
    const published: DomainEvent[] = [];
    const lines = [
      { sku: "SOFA", qty: 2 },
      { sku: "RUG", qty: 3 },
      { sku: "LAMP", qty: 5 },
      { sku: "VASE", qty: 1 },
    ];
    const error = await catchRejection(() =>
      services.allocateOrder({ orderid: "o1", lines }, uow, {
        publish: (event) => {
          published.push(event);
        },
      }),
    );
    expect(OrderNotAllocated.is(error)).toBe(true);
    expect(published.map((event) => ({ ...event }))).toEqual([
      expect.objectContaining({ type: "OutOfStock", orderid: "o1", sku: "SOFA", qty: 2 }),
      expect.objectContaining({ type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 5 }),
    ]);
    const placed = await services.allocateOrder(
      { orderid: "o2", lines: [{ sku: "RUG", qty: 10 }] },
      uow,
    );
    expect(placed).toEqual([{ sku: "RUG", qty: 10, batchref: "rugs" }]);
  });
});
