import {
  ConcurrencyConflict,
  type DomainEvent,
  DuplicateBatch,
  InMemoryStore,
  InvalidSku,
  OutOfStock,
  services,
  type UnitOfWork,
  type UnitOfWorkFactory,
  UnknownBatch,
  ValidationError,
} from "cosmic-allocation";
import { describe, expect, it, vi } from "vitest";
import { catchRejection } from "../../test/catch-error";

function fresh(): { store: InMemoryStore; uow: UnitOfWorkFactory } {
  const store = new InMemoryStore();
  return { store, uow: () => store.unitOfWork() };
}

async function productOf(store: InMemoryStore, sku: string) {
  const uow = store.unitOfWork();
  const product = await uow.products.get(sku);
  await uow.rollback();
  return product;
}

describe("services (the book's chapter 5)", () => {
  it("adds a batch for a new product", async () => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "CRUNCHY-ARMCHAIR", qty: 100, eta: null }, uow);
    const product = await productOf(store, "CRUNCHY-ARMCHAIR");
    expect(product?.batches.map((batch) => batch.reference)).toEqual(["b1"]);
  });

  it("adds a batch for an existing product", async () => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "GARISH-RUG", qty: 100, eta: null }, uow);
    await services.addBatch({ ref: "b2", sku: "GARISH-RUG", qty: 99, eta: null }, uow);
    const product = await productOf(store, "GARISH-RUG");
    expect(product?.batches.map((batch) => batch.reference)).toEqual(["b1", "b2"]);
  });

  it("allocate returns the allocation", async () => {
    const { uow } = fresh();
    await services.addBatch({ ref: "batch1", sku: "COMPLICATED-LAMP", qty: 100, eta: null }, uow);
    expect(await services.allocate({ orderid: "o1", sku: "COMPLICATED-LAMP", qty: 10 }, uow)).toBe(
      "batch1",
    );
  });

  it("allocate errors for an invalid sku", async () => {
    const { uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "AREALSKU", qty: 100, eta: null }, uow);
    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "NONEXISTENTSKU", qty: 10 }, uow),
    );
    expect(InvalidSku.is(error)).toBe(true);
    expect((error as Error).message).toBe("Invalid sku NONEXISTENTSKU");
  });

  it("allocate commits", async () => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "OMINOUS-MIRROR", qty: 100, eta: null }, uow);
    await services.allocate({ orderid: "o1", sku: "OMINOUS-MIRROR", qty: 10 }, uow);
    expect((await productOf(store, "OMINOUS-MIRROR"))?.getBatch("b1")?.availableQuantity).toBe(90);
  });

  it("prefers warehouse batches to shipments", async () => {
    const { uow } = fresh();
    await services.addBatch({ ref: "in-stock", sku: "RETRO-CLOCK", qty: 100, eta: null }, uow);
    await services.addBatch(
      { ref: "shipment", sku: "RETRO-CLOCK", qty: 100, eta: "2026-11-25" },
      uow,
    );
    expect(await services.allocate({ orderid: "oref", sku: "RETRO-CLOCK", qty: 10 }, uow)).toBe(
      "in-stock",
    );
  });

  it("allocate raises OutOfStock when nothing can take the line", async () => {
    const { uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "SMALL-FORK", qty: 10, eta: null }, uow);
    await services.allocate({ orderid: "o1", sku: "SMALL-FORK", qty: 10 }, uow);
    const error = await catchRejection(() =>
      services.allocate({ orderid: "o2", sku: "SMALL-FORK", qty: 1 }, uow),
    );
    expect(OutOfStock.is(error)).toBe(true);
  });

  it("deallocate releases the line, and can be called again harmlessly", async () => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10, eta: null }, uow);
    await services.allocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow);
    expect(await services.deallocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow)).toBe("b1");
    expect(await services.deallocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow)).toBeNull();
    expect((await productOf(store, "LAMP"))?.getBatch("b1")?.availableQuantity).toBe(10);
  });

  it("deallocate then allocate puts the line back", async () => {
    const { uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 4, eta: null }, uow);
    await services.allocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow);
    await services.deallocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow);
    expect(await services.allocate({ orderid: "o2", sku: "LAMP", qty: 4 }, uow)).toBe("b1");
  });

  it("deallocate errors for an invalid sku", async () => {
    const { uow } = fresh();
    expect(
      InvalidSku.is(
        await catchRejection(() =>
          services.deallocate({ orderid: "o1", sku: "NOPE", qty: 1 }, uow),
        ),
      ),
    ).toBe(true);
  });
});

describe("changing a batch's quantity (the book's chapter 9 handlers)", () => {
  it("changes the available quantity", async () => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "batch1", sku: "ADORABLE-SETTEE", qty: 100, eta: null }, uow);
    await services.changeBatchQuantity({ ref: "batch1", qty: 50 }, uow);
    expect((await productOf(store, "ADORABLE-SETTEE"))?.getBatch("batch1")?.availableQuantity).toBe(
      50,
    );
  });

  it("reallocates if necessary", async () => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "batch1", sku: "INDIFFERENT-TABLE", qty: 50, eta: null }, uow);
    await services.addBatch(
      { ref: "batch2", sku: "INDIFFERENT-TABLE", qty: 50, eta: new Date("2026-11-25") },
      uow,
    );
    await services.allocate({ orderid: "order1", sku: "INDIFFERENT-TABLE", qty: 20 }, uow);
    await services.allocate({ orderid: "order2", sku: "INDIFFERENT-TABLE", qty: 20 }, uow);

    const change = await services.changeBatchQuantity({ ref: "batch1", qty: 25 }, uow);

    expect(change.moved.map(({ line, batchref }) => [line.orderid, batchref])).toEqual([
      ["order2", "batch2"],
    ]);
    const product = await productOf(store, "INDIFFERENT-TABLE");
    expect(product?.getBatch("batch1")?.availableQuantity).toBe(5);
    expect(product?.getBatch("batch2")?.availableQuantity).toBe(30);
  });

  it("errors for an unknown batch", async () => {
    const { uow } = fresh();
    expect(
      UnknownBatch.is(
        await catchRejection(() => services.changeBatchQuantity({ ref: "nope", qty: 1 }, uow)),
      ),
    ).toBe(true);
  });
});

describe("a batch's eta, as clients send it", () => {
  it.each([
    ["2026-12-01", "2026-12-01T00:00:00.000Z"],
    ["2026-12-01T09:30:00Z", "2026-12-01T09:30:00.000Z"],
    ["2026-12-01T09:30:00.250+02:00", "2026-12-01T07:30:00.250Z"],
    ["2026-12-01T09:30-05:00", "2026-12-01T14:30:00.000Z"],
    ["+012026-01-01", "+012026-01-01T00:00:00.000Z"],
  ])("accepts %s", async (eta, stored) => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 1, eta }, uow);
    expect((await productOf(store, "LAMP"))?.getBatch("b1")?.eta?.toISOString()).toBe(stored);
  });

  it.each([
    "2026-02-30",
    "2025-02-29",
    "2026-12-01T09:30:00",
    "2026-12-01T24:61:00Z",
    "2026-12-01T10:00+25:00",
    "2026-12-01 09:30Z",
    "tomorrow",
    "",
  ])("refuses %j", async (eta) => {
    const { uow } = fresh();
    const error = await catchRejection(() =>
      services.addBatch({ ref: "b1", sku: "LAMP", qty: 1, eta }, uow),
    );
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", field: "eta" });
  });
});

describe("bad commands are rejected before any unit of work opens", () => {
  const factory = vi.fn<UnitOfWorkFactory>(() => new InMemoryStore().unitOfWork());

  it.each([
    [
      "a missing orderid",
      () => services.allocate({ sku: "LAMP", qty: 1 } as never, factory),
      "orderid",
    ],
    ["qty 0", () => services.allocate({ orderid: "o1", sku: "LAMP", qty: 0 }, factory), "qty"],
    [
      "qty 2.5",
      () => services.deallocate({ orderid: "o1", sku: "LAMP", qty: 2.5 }, factory),
      "qty",
    ],
    ["an empty sku", () => services.addBatch({ ref: "b1", sku: "", qty: 1 }, factory), "sku"],
    [
      "an eta that is not a date",
      () => services.addBatch({ ref: "b1", sku: "LAMP", qty: 1, eta: 5 as never }, factory),
      "eta",
    ],
    [
      "an eta that is not an ISO date",
      () => services.addBatch({ ref: "b1", sku: "LAMP", qty: 1, eta: "next week" }, factory),
      "eta",
    ],
    [
      "a negative quantity change",
      () => services.changeBatchQuantity({ ref: "b1", qty: -1 }, factory),
      "qty",
    ],
    ["no command at all", () => services.allocate(null as never, factory), "command"],
    [
      "a factory that is not a function",
      () => services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, {} as never),
      "uow",
    ],
    [
      "negative retries",
      () => services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, factory, { retries: -1 }),
      "options.retries",
    ],
    [
      "a publish that is not a function",
      () =>
        services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, factory, {
          publish: "yes" as never,
        }),
      "options.publish",
    ],
  ])("%s", async (_, call, field) => {
    factory.mockClear();
    const error = await catchRejection(call);
    expect(ValidationError.is(error)).toBe(true);
    expect(error).toMatchObject({ field });
    expect(factory).not.toHaveBeenCalled();
  });
});

describe("a broken adapter cannot make the services half-apply", () => {
  it("surfaces the domain's error when the repository returns another sku's product, and commits nothing", async () => {
    const store = new InMemoryStore();
    await services.addBatch({ ref: "t1", sku: "TABLE", qty: 10 }, () => store.unitOfWork());
    const wrongProduct: UnitOfWorkFactory = () => {
      const uow = store.unitOfWork();
      return {
        products: { ...uow.products, get: () => uow.products.get("TABLE") },
        commit: () => uow.commit(),
        collectNewEvents: () => uow.collectNewEvents(),
        rollback: () => uow.rollback(),
        [Symbol.asyncDispose]: () => uow[Symbol.asyncDispose](),
      };
    };
    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, wrongProduct),
    );
    expect(error).toMatchObject({ code: "SKU_MISMATCH" });
    expect((await productOf(store, "TABLE"))?.versionNumber).toBe(1);
  });
});

describe("batch references are unique across skus", () => {
  it("refuses a second batch with a reference in use, for any sku", async () => {
    const { uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 1 }, uow);
    for (const sku of ["LAMP", "TABLE"]) {
      expect(
        DuplicateBatch.is(
          await catchRejection(() => services.addBatch({ ref: "b1", sku, qty: 1 }, uow)),
        ),
      ).toBe(true);
    }
  });
});

describe("events reach the outside only after commit", () => {
  it("publishes each event of a committed unit of work, in order", async () => {
    const { uow } = fresh();
    const published: DomainEvent[] = [];
    const publish = (event: DomainEvent) => {
      published.push(event);
    };
    await services.addBatch({ ref: "warehouse", sku: "LAMP", qty: 10 }, uow, { publish });
    await services.addBatch({ ref: "ship", sku: "LAMP", qty: 10, eta: "2026-12-01" }, uow, {
      publish,
    });
    await services.allocate({ orderid: "o1", sku: "LAMP", qty: 6 }, uow, { publish });
    await services.changeBatchQuantity({ ref: "warehouse", qty: 5 }, uow, { publish });
    expect(
      published.map((event) => [
        event.type,
        event.orderid,
        "batchref" in event ? event.batchref : null,
      ]),
    ).toEqual([
      ["Allocated", "o1", "warehouse"],
      ["Deallocated", "o1", "warehouse"],
      ["Allocated", "o1", "ship"],
    ]);
  });

  it("publishes the OutOfStock event and then throws OutOfStock", async () => {
    const { uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 1 }, uow);
    const published: DomainEvent[] = [];
    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, uow, {
        publish: (event) => void published.push(event),
      }),
    );
    expect(OutOfStock.is(error)).toBe(true);
    expect(published).toEqual([{ type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 2 }]);
  });

  it("publishes nothing for work that was rolled back", async () => {
    const store = new InMemoryStore();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, () => store.unitOfWork());
    const failingCommit: UnitOfWorkFactory = () => {
      const uow = store.unitOfWork();
      return {
        ...uow,
        products: uow.products,
        collectNewEvents: () => uow.collectNewEvents(),
        rollback: () => uow.rollback(),
        [Symbol.asyncDispose]: () => uow[Symbol.asyncDispose](),
        commit: async () => {
          await uow.rollback();
          throw new Error("disk full");
        },
      };
    };
    const publish = vi.fn();
    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, failingCommit, { publish }),
    );
    expect((error as Error).message).toBe("disk full");
    expect(publish).not.toHaveBeenCalled();
    expect((await productOf(store, "LAMP"))?.getBatch("b1")?.availableQuantity).toBe(10);
  });

  it("lets a failing publisher's error through, after the change is committed", async () => {
    const { store, uow } = fresh();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, uow);
    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, uow, {
        publish: async () => Promise.reject(new Error("bus down")),
      }),
    );
    expect((error as Error).message).toBe("bus down");
    expect((await productOf(store, "LAMP"))?.getBatch("b1")?.availableQuantity).toBe(8);
  });
});

describe("retries on a concurrency conflict", () => {
  /** A factory whose first `conflicts` commits lose a race: another writer commits the same product first. */
  function racingFactory(store: InMemoryStore, conflicts: number): UnitOfWorkFactory {
    let remaining = conflicts;
    return () => {
      const uow = store.unitOfWork();
      return {
        products: uow.products,
        collectNewEvents: () => uow.collectNewEvents(),
        rollback: () => uow.rollback(),
        [Symbol.asyncDispose]: () => uow[Symbol.asyncDispose](),
        commit: async () => {
          if (remaining > 0) {
            remaining -= 1;
            await services.allocate({ orderid: `rival-${remaining}`, sku: "LAMP", qty: 1 }, () =>
              store.unitOfWork(),
            );
          }
          await uow.commit();
        },
      } satisfies UnitOfWork;
    };
  }

  it("retries the whole operation in a new unit of work, and reports each retry", async () => {
    const store = new InMemoryStore();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, () => store.unitOfWork());
    const onRetry = vi.fn();
    const batchref = await services.allocate(
      { orderid: "o1", sku: "LAMP", qty: 2 },
      racingFactory(store, 2),
      {
        backoff: () => 0,
        onRetry,
      },
    );
    expect(batchref).toBe("b1");
    expect(onRetry.mock.calls.map(([notice]) => notice.attempt)).toEqual([1, 2]);
    const product = await productOf(store, "LAMP");
    expect(product?.getBatch("b1")?.availableQuantity).toBe(6);
    expect(product?.versionNumber).toBe(4);
  });

  it("gives up after the configured number of retries and throws the conflict", async () => {
    const store = new InMemoryStore();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, () => store.unitOfWork());
    const error = await catchRejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, racingFactory(store, 3), {
        retries: 2,
        backoff: () => 0,
      }),
    );
    expect(ConcurrencyConflict.is(error)).toBe(true);
    const product = await productOf(store, "LAMP");
    expect(product?.batches[0]?.allocations.map((line) => line.orderid).sort()).toEqual([
      "rival-0",
      "rival-1",
      "rival-2",
    ]);
  });

  it("waits the backoff's delay between attempts", async () => {
    const store = new InMemoryStore();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, () => store.unitOfWork());
    const delays: number[] = [];
    await services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, racingFactory(store, 2), {
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });
    expect(delays).toHaveLength(2);
    for (const [index, delay] of delays.entries()) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(2 * 2 ** (index + 1));
    }
  });

  it("does not retry other errors", async () => {
    const { uow } = fresh();
    const factory = vi.fn(uow);
    await catchRejection(() => services.allocate({ orderid: "o1", sku: "NOPE", qty: 1 }, factory));
    expect(factory).toHaveBeenCalledTimes(1);
  });
});

describe("the book's concurrency test, without sleeps", () => {
  it("two allocations read the same product and try to commit: exactly one wins, the version rises by one", async () => {
    const store = new InMemoryStore();
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, () => store.unitOfWork());
    const before = (await productOf(store, "LAMP"))?.versionNumber ?? -1;

    // Both reads finish before either commit starts: a barrier instead of the book's sleep.
    let arrived = 0;
    let release: () => void = () => {};
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const factory: UnitOfWorkFactory = () => {
      const uow = store.unitOfWork();
      return {
        products: {
          add: (product) => uow.products.add(product),
          getByBatchRef: (reference) => uow.products.getByBatchRef(reference),
          getByOrder: (orderid) => uow.products.getByOrder(orderid),
          get: async (sku) => {
            const product = await uow.products.get(sku);
            arrived += 1;
            if (arrived === 2) release();
            await bothRead;
            return product;
          },
        },
        commit: () => uow.commit(),
        collectNewEvents: () => uow.collectNewEvents(),
        rollback: () => uow.rollback(),
        [Symbol.asyncDispose]: () => uow[Symbol.asyncDispose](),
      };
    };

    const outcomes = await Promise.allSettled([
      services.allocate({ orderid: "order1", sku: "LAMP", qty: 1 }, factory, { retries: 0 }),
      services.allocate({ orderid: "order2", sku: "LAMP", qty: 1 }, factory, { retries: 0 }),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected");
    expect(ConcurrencyConflict.is(rejected?.reason)).toBe(true);
    const product = await productOf(store, "LAMP");
    expect(product?.versionNumber).toBe(before + 1);
    expect(product?.getBatch("b1")?.allocations).toHaveLength(1);
  });
});
