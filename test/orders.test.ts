import {
  type AllocatedOrderLine,
  Batch,
  InMemoryStore,
  OrderNotAllocated,
  Product,
  services,
  type UnitOfWorkFactory,
} from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catchRejection } from "./catch-error";
import { ScheduledStore } from "./scheduled-store";

async function stocked(
  stock: Record<string, number>,
): Promise<{ store: InMemoryStore; uow: UnitOfWorkFactory }> {
  const store = new InMemoryStore();
  const uow = () => store.unitOfWork();
  for (const [sku, qty] of Object.entries(stock)) {
    await services.addBatch({ ref: `${sku}-warehouse`, sku, qty }, uow);
  }
  return { store, uow };
}

async function held(store: InMemoryStore, orderid: string): Promise<string[]> {
  await using uow = store.unitOfWork();
  const products = await uow.products.getByOrder(orderid);
  return products.flatMap((product) =>
    product.linesOf(orderid).map(({ line, batchref }) => `${line.sku}:${batchref}`),
  );
}

describe("allocating a whole order", () => {
  it("allocates every line by the usual rule, one answer per line in the order given", async () => {
    const { uow } = await stocked({ LAMP: 10, SOFA: 2 });
    await services.addBatch({ ref: "SOFA-ship", sku: "SOFA", qty: 5, eta: "2026-12-24" }, uow);
    const lines = [
      { sku: "SOFA", qty: 3 },
      { sku: "LAMP", qty: 2 },
    ];
    expect(await services.allocateOrder({ orderid: "o1", lines }, uow)).toEqual([
      { sku: "SOFA", qty: 3, batchref: "SOFA-ship" },
      { sku: "LAMP", qty: 2, batchref: "LAMP-warehouse" },
    ]);
  });

  it("allocates nothing when one line cannot be, and lists every short line and unknown sku", async () => {
    const { store, uow } = await stocked({ LAMP: 10, SOFA: 2, RUG: 1 });
    const lines = [
      { sku: "LAMP", qty: 2 },
      { sku: "SOFA", qty: 3 },
      { sku: "RUG", qty: 4 },
      { sku: "VASE", qty: 1 },
    ];
    const error = await catchRejection(() => services.allocateOrder({ orderid: "o1", lines }, uow));
    expect(OrderNotAllocated.is(error)).toBe(true);
    expect(error).toMatchObject({
      orderid: "o1",
      shortLines: [
        { sku: "SOFA", qty: 3, available: 2 },
        { sku: "RUG", qty: 4, available: 1 },
      ],
      unknownSkus: ["VASE"],
    });
    expect(await held(store, "o1")).toEqual([]);
    await using check = store.unitOfWork();
    expect((await check.products.get("LAMP"))?.versionNumber).toBe(1);
  });

  it("repeating it for an order already allocated changes nothing and gives the same answer", async () => {
    const { store, uow } = await stocked({ LAMP: 10 });
    const command = { orderid: "o1", lines: [{ sku: "LAMP", qty: 2 }] };
    const first = await services.allocateOrder(command, uow);
    expect(await services.allocateOrder(command, uow)).toEqual(first);
    await using check = store.unitOfWork();
    expect((await check.products.get("LAMP"))?.getBatch("LAMP-warehouse")?.availableQuantity).toBe(
      8,
    );
  });

  it("refuses two lines of one sku with a typed error before any unit of work opens", async () => {
    let opened = 0;
    const uow = () => {
      opened += 1;
      return new InMemoryStore().unitOfWork();
    };
    const lines = [
      { sku: "LAMP", qty: 1 },
      { sku: "LAMP", qty: 2 },
    ];
    const error = await catchRejection(() => services.allocateOrder({ orderid: "o1", lines }, uow));
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", field: "lines[1].sku" });
    // biome-ignore lint/suspicious/noSparseArray: a hole is refused, not skipped
    const holed = [, { sku: "LAMP", qty: 1 }];
    for (const bad of [
      [],
      "LAMP",
      [null],
      holed,
      Array.from({ length: 1001 }, (_, i) => ({ sku: `S${i}`, qty: 1 })),
      [{ sku: "", qty: 1 }],
      [{ sku: "LAMP", qty: 0 }],
    ]) {
      expect(
        await catchRejection(() =>
          services.allocateOrder({ orderid: "o1", lines: bad as never }, uow),
        ),
      ).toMatchObject({
        code: "VALIDATION_ERROR",
      });
    }
    expect(opened).toBe(0);
  });
});

describe("releasing an order", () => {
  it("releases every line in every product in one commit, with a Deallocated event per line", async () => {
    const { store, uow } = await stocked({ LAMP: 10, SOFA: 2 });
    await services.allocateOrder(
      {
        orderid: "o1",
        lines: [
          { sku: "LAMP", qty: 2 },
          { sku: "SOFA", qty: 1 },
        ],
      },
      uow,
    );
    const published: string[] = [];
    const released = await services.deallocateOrder({ orderid: "o1" }, uow, {
      publish: (event) => void published.push(`${event.type}:${event.sku}`),
    });
    expect(released.map(({ sku }) => sku).sort()).toEqual(["LAMP", "SOFA"]);
    expect(published.sort()).toEqual(["Deallocated:LAMP", "Deallocated:SOFA"]);
    expect(await held(store, "o1")).toEqual([]);
    expect(await store.allocationsFor("o1")).toEqual([]);
  });

  it("an unknown order changes nothing", async () => {
    const { store, uow } = await stocked({ LAMP: 10 });
    expect(await services.deallocateOrder({ orderid: "nobody" }, uow)).toEqual([]);
    await using check = store.unitOfWork();
    expect((await check.products.get("LAMP"))?.versionNumber).toBe(1);
  });
});

const skus = ["LAMP", "SOFA", "RUG"] as const;
const orderCommand = fc.record({
  kind: fc.constantFrom("allocate", "allocate", "release"),
  orderid: fc.constantFrom("o1", "o2", "o3", "o4"),
  lines: fc.uniqueArray(
    fc.record({ sku: fc.constantFrom(...skus), qty: fc.integer({ min: 1, max: 6 }) }),
    {
      minLength: 1,
      maxLength: 3,
      selector: (line) => line.sku,
    },
  ),
});

type OrderCommand = {
  readonly kind: "allocate" | "release";
  readonly orderid: string;
  readonly lines: readonly { readonly sku: string; readonly qty: number }[];
};

async function apply(command: OrderCommand, uow: UnitOfWorkFactory): Promise<unknown> {
  try {
    if (command.kind === "release") return await services.deallocateOrder(command, uow);
    return await services.allocateOrder(command, uow);
  } catch (error) {
    if (OrderNotAllocated.is(error)) return "short";
    throw error;
  }
}

describe("order laws", () => {
  it("an order is all or nothing, and the read model always equals what the aggregates hold", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(orderCommand, { maxLength: 15 }), async (commands) => {
        const { store, uow } = await stocked({ LAMP: 8, SOFA: 5, RUG: 3 });
        for (const command of commands) {
          const before = await held(store, command.orderid);
          const result = await apply(command, uow);
          const after = await held(store, command.orderid);
          if (command.kind === "allocate" && result === "short") expect(after).toEqual(before);
          if (command.kind === "allocate" && result !== "short") {
            const skusHeld = new Set(after.map((line) => line.split(":")[0]));
            for (const { sku } of command.lines) expect(skusHeld.has(sku)).toBe(true);
          }
          if (command.kind === "release") expect(after).toEqual([]);
          for (const orderid of ["o1", "o2", "o3", "o4"]) {
            const view = (await store.allocationsFor(orderid)).map(
              ({ sku, batchref }) => `${sku}:${batchref}`,
            );
            expect(view.sort()).toEqual((await held(store, orderid)).sort());
          }
        }
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 60) },
    );
  });

  it("releasing an order then allocating it again gives the same batches when nothing else changed", async () => {
    await fc.assert(
      fc.asyncProperty(
        orderCommand,
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 }),
        async (command, extra) => {
          const { uow } = await stocked({ LAMP: 8, SOFA: 5, RUG: 3 });
          for (const [index, sku] of skus.entries()) {
            await services.addBatch(
              { ref: `${sku}-ship`, sku, qty: extra[index] ?? 0, eta: "2027-01-01" },
              uow,
            );
          }
          const first = await apply({ ...command, kind: "allocate" }, uow);
          if (first === "short") return;
          await services.deallocateOrder(command, uow);
          expect(await apply({ ...command, kind: "allocate" }, uow)).toEqual(
            first as AllocatedOrderLine[],
          );
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 60) },
    );
  });
});

describe("orders under concurrency", () => {
  it("two orders competing for the last units of two skus never both get them, under any interleaving, and never deadlock", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.boolean(), async (s, reversed) => {
        const store = new InMemoryStore();
        const setup = store.unitOfWork();
        await setup.products.add(new Product("LAMP", [new Batch("l1", "LAMP", 1)]));
        await setup.products.add(new Product("SOFA", [new Batch("s1", "SOFA", 1)]));
        await setup.commit();
        const scheduled = new ScheduledStore(store, s);
        const lines = [
          { sku: "LAMP", qty: 1 },
          { sku: "SOFA", qty: 1 },
        ];
        const attempt = (orderid: string, order: typeof lines) =>
          apply({ kind: "allocate", orderid, lines: order }, scheduled.factoryFor(orderid)).catch(
            (error: { code?: string }) => error.code,
          );
        const results = await s.waitFor(
          Promise.all([
            attempt("o1", lines),
            attempt("o2", reversed ? [...lines].reverse() : lines),
          ]),
        );
        const won = results.filter((result) => Array.isArray(result));
        expect(won.length).toBe(1);
        expect(results.filter((result) => result === "short").length).toBe(1);
        const o1 = await held(store, "o1");
        const o2 = await held(store, "o2");
        expect([o1.length, o2.length].sort()).toEqual([0, 2]);
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 100) },
    );
  });
});
