import {
  Batch,
  type DomainEvent,
  InMemoryStore,
  type OrderLine,
  OutOfStock,
  Product,
  services,
  type UnitOfWork,
} from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchRejection } from "../../test/catch-error";

// OutOfStock is an outcome the business records (its event is published after
// commit); any other failure inside allocate is a fault, and rolls back.
class FaultyProduct extends Product {
  override allocate(_line: OrderLine): string {
    this.addBatch(new Batch("half-done", this.sku, 1));
    throw new TypeError("a fault in the domain");
  }
}

function storeWith(product: Product): { uow: () => UnitOfWork; commits: () => number } {
  let commits = 0;
  const store = new InMemoryStore();
  return {
    commits: () => commits,
    uow: () => {
      const inner = store.unitOfWork();
      return {
        products: {
          ...inner.products,
          // Hands out `product` itself, tracked by the unit of work like any product it adds.
          get: async (sku: string) => {
            if (sku !== product.sku) return inner.products.get(sku);
            await inner.products.add(product);
            return product;
          },
        },
        commit: async () => {
          commits += 1;
          await inner.commit();
        },
        collectNewEvents: () => inner.collectNewEvents(),
        rollback: () => inner.rollback(),
        [Symbol.asyncDispose]: () => inner[Symbol.asyncDispose](),
      };
    },
  };
}

describe("only OutOfStock is committed and published; any other failure of allocate rolls back", () => {
  it("a fault in the domain rejects with that fault, commits nothing and publishes nothing", async () => {
    const { uow, commits } = storeWith(new FaultyProduct("LAMP", [new Batch("b1", "LAMP", 10)]));
    const published: DomainEvent[] = [];

    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, uow, {
        publish: (event) => {
          published.push(event);
        },
      }),
    );

    expect(error).toBeInstanceOf(TypeError);
    expect(commits()).toBe(0);
    expect(published).toEqual([]);
  });

  it("OutOfStock commits once and publishes its event before rejecting", async () => {
    const { uow, commits } = storeWith(new Product("LAMP", [new Batch("b1", "LAMP", 1)]));
    const published: DomainEvent[] = [];

    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, uow, {
        publish: (event) => {
          published.push(event);
        },
      }),
    );

    expect(OutOfStock.is(error)).toBe(true);
    expect(commits()).toBe(1);
    expect(published.map((event) => event.type)).toEqual(["OutOfStock"]);
  });
});
