import { InMemoryStore, type OrderLine, OutOfStock, services } from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ModelChange, ProductModel } from "./product-model/model";
import { ScheduledStore } from "./scheduled-store";

// Random concurrent calls of the four services, interleaved by fast-check's
// scheduler. Whatever the interleaving, the outcome must be that of running the
// calls that committed one at a time: serializable. A call that changed stock
// takes effect when it commits; a call that changed nothing (out of stock, a
// line not held, an unchanged quantity) answered from what it read, so it takes
// its place when it read. From that follow the rules the issue names: never
// oversold, each successful allocation visible exactly once, versions counting
// the changes, nothing half-applied after a failure or a conflict.

const skus = ["LAMP", "TABLE"] as const;
const refs = ["b1", "b2", "b3", "b4"] as const;

type Call =
  | {
      readonly kind: "addBatch";
      readonly ref: string;
      readonly sku: string;
      readonly qty: number;
      readonly eta: number | null;
    }
  | {
      readonly kind: "allocate" | "deallocate";
      readonly orderid: string;
      readonly sku: string;
      readonly qty: number;
    }
  | { readonly kind: "changeBatchQuantity"; readonly ref: string; readonly qty: number };

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({
    kind: fc.constant("addBatch" as const),
    ref: fc.constantFrom(...refs),
    sku: fc.constantFrom(...skus),
    qty: fc.integer({ min: 0, max: 10 }),
    eta: fc.option(fc.constantFrom(Date.UTC(2026, 11, 1), Date.UTC(2026, 11, 2)), { nil: null }),
  }),
  fc.record({
    kind: fc.constantFrom("allocate" as const, "deallocate" as const),
    orderid: fc.constantFrom("o1", "o2", "o3", "o4"),
    sku: fc.constantFrom(...skus),
    qty: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant("changeBatchQuantity" as const),
    ref: fc.constantFrom(...refs),
    qty: fc.integer({ min: 0, max: 10 }),
  }),
);

/** The services' world as the model sees it: one product model per sku, batch references unique across skus. */
class StoreModel {
  readonly products = new Map<string, ProductModel>();

  owner(ref: string): ProductModel | undefined {
    return [...this.products.values()].find((product) => product.batch(ref) !== undefined);
  }

  /** What the call returns when it runs alone on the model's state, applying it. */
  apply(c: Call): unknown {
    switch (c.kind) {
      case "addBatch": {
        let product = this.products.get(c.sku);
        if (product === undefined) {
          product = new ProductModel(c.sku);
          this.products.set(c.sku, product);
        }
        product.addBatch(c.ref, c.qty, c.eta);
        return undefined;
      }
      case "allocate": {
        const result = this.products.get(c.sku)?.allocate(c) as string;
        return result === "out of stock" ? "OutOfStock" : result;
      }
      case "deallocate":
        return this.products.get(c.sku)?.deallocate(c);
      case "changeBatchQuantity": {
        const product = this.owner(c.ref) as ProductModel;
        return product.changeBatchQuantity(
          product.batch(c.ref) as NonNullable<ReturnType<ProductModel["batch"]>>,
          c.qty,
        );
      }
    }
  }
}

async function run(c: Call, uow: ReturnType<ScheduledStore["factoryFor"]>): Promise<unknown> {
  const options = { retries: 25, backoff: () => 0 };
  try {
    switch (c.kind) {
      case "addBatch":
        return await services.addBatch(
          { ref: c.ref, sku: c.sku, qty: c.qty, eta: c.eta === null ? null : new Date(c.eta) },
          uow,
          options,
        );
      case "allocate":
        return await services.allocate(c, uow, options);
      case "deallocate":
        return await services.deallocate(c, uow, options);
      case "changeBatchQuantity": {
        const change = await services.changeBatchQuantity(c, uow, options);
        return {
          moved: change.moved.map(({ line, batchref }) => [line.orderid, batchref]),
          unallocated: change.unallocated.map((line: OrderLine) => line.orderid),
        } satisfies ModelChange;
      }
    }
  } catch (error) {
    if (OutOfStock.is(error)) return "OutOfStock";
    return { failed: (error as { code?: string }).code ?? String(error) };
  }
}

describe("the service layer under concurrency, against a reference model", () => {
  it("any interleaving of concurrent service calls equals running the committed calls one by one in commit order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(call, { minLength: 1, maxLength: 12 }),
        async (s, calls) => {
          const store = new InMemoryStore();
          const scheduled = new ScheduledStore(store, s);
          const pending = calls.map((c, index) => run(c, scheduled.factoryFor(String(index))));
          const results = await s.waitFor(Promise.all(pending));

          const model = new StoreModel();
          const serialOrder = [...scheduled.commits].sort(
            (a, b) =>
              (a.changed ? a.committedAt : a.readAt) - (b.changed ? b.committedAt : b.readAt),
          );
          for (const { caller } of serialOrder) {
            const index = Number(caller);
            expect(
              results[index],
              `result of call ${index}: ${JSON.stringify(calls[index])}`,
            ).toEqual(model.apply(calls[index] as Call));
          }
          const committed = new Set(scheduled.commits.map(({ caller }) => caller));
          results.forEach((result, index) => {
            if (!committed.has(String(index))) expect(result).toHaveProperty("failed");
          });

          const uow = store.unitOfWork();
          for (const sku of skus) {
            const product = await uow.products.get(sku);
            const expected = model.products.get(sku);
            if (expected === undefined) expect(product).toBeUndefined();
            else expected.expectMatches(product);
            for (const batch of product?.batches ?? [])
              expect(batch.availableQuantity).toBeGreaterThanOrEqual(0);
          }
          await uow.rollback();
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 150) },
    );
  });
});
