import { describe, expect, it, vi } from "vitest";
import { catchRejection } from "../../test/catch-error";
import {
  Batch,
  createMessageBus,
  DeliveryFailed,
  defineCommand,
  defineEvent,
  InMemoryStore,
  type Message,
  OrderLine,
  OutOfStock,
  UnknownMessage,
} from "../index";

function bootstrap(onError = vi.fn()) {
  const store = new InMemoryStore({ outbox: true });
  const opened = vi.fn(() => store.unitOfWork());
  const bus = createMessageBus({ uow: opened, onError, backoff: () => 0 });
  return { store, bus, opened, onError };
}

describe("the message bus: commands (the book's chapter 9)", () => {
  it("creates a batch and allocates to it, resolving to the batch reference", async () => {
    const { bus } = bootstrap();
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "COMPLICATED-LAMP", qty: 100 });
    expect(
      await bus.handle({ type: "Allocate", orderid: "o1", sku: "COMPLICATED-LAMP", qty: 10 }),
    ).toBe("b1");
  });

  it("changes a batch's quantity and reallocates what it can no longer hold", async () => {
    const { bus, store } = bootstrap();
    await bus.handle({ type: "CreateBatch", ref: "batch1", sku: "INDIFFERENT-TABLE", qty: 50 });
    await bus.handle({
      type: "CreateBatch",
      ref: "batch2",
      sku: "INDIFFERENT-TABLE",
      qty: 50,
      eta: "2026-12-24",
    });
    await bus.handle({ type: "Allocate", orderid: "order1", sku: "INDIFFERENT-TABLE", qty: 20 });
    await bus.handle({ type: "Allocate", orderid: "order2", sku: "INDIFFERENT-TABLE", qty: 20 });
    await bus.handle({ type: "ChangeBatchQuantity", ref: "batch1", qty: 25 });
    const uow = store.unitOfWork();
    const product = await uow.products.get("INDIFFERENT-TABLE");
    expect(product?.getBatch("batch1")?.availableQuantity).toBe(5);
    expect(product?.getBatch("batch2")?.availableQuantity).toBe(30);
  });

  it("rejects an Allocate with no stock with OutOfStock, after its OutOfStock event reached the subscribers", async () => {
    const { bus } = bootstrap();
    const emails: string[] = [];
    bus.subscribe("OutOfStock", (event) => {
      emails.push(`Out of stock for ${event.sku}`);
    });
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "POPULAR-CURTAINS", qty: 9 });
    const error = await catchRejection(() =>
      bus.handle({ type: "Allocate", orderid: "o1", sku: "POPULAR-CURTAINS", qty: 10 }),
    );
    expect(OutOfStock.is(error)).toBe(true);
    expect(emails).toEqual(["Out of stock for POPULAR-CURTAINS"]);
  });

  it("refuses an unknown or malformed message with a typed error before any unit of work opens", async () => {
    const { bus, opened } = bootstrap();
    expect(
      UnknownMessage.is(await catchRejection(() => bus.handle({ type: "Reticulate" } as never))),
    ).toBe(true);
    for (const bad of [
      null,
      "Allocate",
      { type: 3 },
      { type: "Allocate", orderid: "", sku: "X", qty: 1 },
    ]) {
      const error = await catchRejection(() => bus.handle(bad as never));
      expect(error).toMatchObject({ code: "VALIDATION_ERROR" });
    }
    expect(opened).not.toHaveBeenCalled();
  });

  it("a command's own error reaches the caller", async () => {
    const { bus } = bootstrap();
    const error = await catchRejection(() =>
      bus.handle({ type: "Allocate", orderid: "o1", sku: "NOPE", qty: 1 }),
    );
    expect(error).toMatchObject({ code: "INVALID_SKU" });
  });
});

describe("the message bus: events", () => {
  it("hands each event, after its commit, to every subscriber in the order subscribed", async () => {
    const { bus } = bootstrap();
    const seen: string[] = [];
    bus.subscribe("Allocated", (event) => void seen.push(`first ${event.orderid}`));
    bus.subscribe("Allocated", (event) => void seen.push(`second ${event.orderid}`));
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
    await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 });
    expect(seen).toEqual(["first o1", "second o1"]);
  });

  it("a failing event handler never fails the command nor stops the other handlers: it goes to onError", async () => {
    const { bus, onError } = bootstrap();
    const later = vi.fn();
    const boom = new Error("mail server down");
    bus.subscribe("Allocated", () => {
      throw boom;
    });
    bus.subscribe("Allocated", later);
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
    expect(await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 })).toBe("b1");
    expect(later).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledWith(
      boom,
      expect.objectContaining({ type: "Allocated", orderid: "o1" }),
    );
  });

  it("an event handler may issue commands: they run after the current message, in the order issued, before handle settles", async () => {
    const { bus, store } = bootstrap();
    const order: string[] = [];
    bus.subscribe("OutOfStock", (event, { send }) => {
      order.push("out of stock");
      send({ type: "CreateBatch", ref: "restock", sku: event.sku, qty: 100 });
      send({ type: "Allocate", orderid: event.orderid, sku: event.sku, qty: event.qty });
    });
    bus.subscribe(
      "Allocated",
      (event) => void order.push(`allocated ${event.orderid} to ${event.batchref}`),
    );
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 1 });
    await catchRejection(() =>
      bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 5 }),
    );
    expect(order).toEqual(["out of stock", "allocated o1 to restock"]);
    expect(await store.allocationsFor("o1")).toEqual([{ sku: "LAMP", batchref: "restock" }]);
  });

  it("unsubscribing stops the handler", async () => {
    const { bus } = bootstrap();
    const handler = vi.fn();
    const unsubscribe = bus.subscribe("Allocated", handler);
    unsubscribe();
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
    await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 });
    expect(handler).not.toHaveBeenCalled();
  });
});

describe("the message bus: your own commands and events", () => {
  it("runs a command of your own in a unit of work, typed by its type, and hands out the events it raises", async () => {
    const store = new InMemoryStore();
    const bus = createMessageBus({
      uow: () => store.unitOfWork(),
      commands: {
        Restock: defineCommand<
          { readonly type: "Restock"; readonly sku: string; readonly qty: number },
          number
        >({
          async handle({ sku, qty }, { uow, raise }) {
            const product = await uow.products.get(sku);
            const reference = `restock-${(product?.batches.length ?? 0) + 1}`;
            product?.addBatch(new Batch(reference, sku, qty));
            raise({ type: "Restocked", sku } as Message);
            return product?.batches.length ?? 0;
          },
        }),
      },
      events: { Restocked: defineEvent<{ readonly type: "Restocked"; readonly sku: string }>() },
    });
    const restocked: string[] = [];
    bus.subscribe("Restocked", (event) => void restocked.push(event.sku));
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 1 });
    const batches: number = await bus.handle({ type: "Restock", sku: "LAMP", qty: 5 });
    expect(batches).toBe(2);
    expect(restocked).toEqual(["LAMP"]);
  });

  it("refuses a type of your own that clashes with another", () => {
    expect(() =>
      createMessageBus({
        uow: () => new InMemoryStore().unitOfWork(),
        commands: { Allocate: defineCommand({ handle: () => 1 }) },
      }),
    ).toThrow(expect.objectContaining({ code: "VALIDATION_ERROR" }));
  });
});

describe("the message bus on an outbox relay", () => {
  it("in outbox mode, a command's events wait for the relay, which delivers each once", async () => {
    const store = new InMemoryStore({ outbox: true });
    const bus = createMessageBus({ uow: () => store.unitOfWork(), delivery: "outbox" });
    const seen: (string | undefined)[] = [];
    bus.subscribe("Allocated", (event, { id }) => void seen.push(`${event.orderid} ${id}`));
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
    await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 });
    expect(seen).toEqual([]);
    expect(await store.relay(bus.deliver)).toBe(1);
    expect(seen).toEqual(["o1 1"]);
    expect(await store.relay(bus.deliver)).toBe(0);
  });

  it("an event whose handler fails stays in the outbox and comes again, with the same id", async () => {
    const store = new InMemoryStore({ outbox: true });
    const bus = createMessageBus({
      uow: () => store.unitOfWork(),
      delivery: "outbox",
      onError: () => {},
    });
    let failing = true;
    const ids: string[] = [];
    bus.subscribe("Allocated", (_event, { id }) => {
      ids.push(id as string);
      if (failing) throw new Error("down");
    });
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
    await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 });
    expect(await store.relay(bus.deliver)).toBe(0);
    failing = false;
    expect(await store.relay(bus.deliver)).toBe(1);
    expect(ids).toEqual(["1", "1"]);
    await expect(bus.deliver({ id: "x", event: { type: "Nope" } as never })).rejects.toThrow(
      UnknownMessage,
    );
  });

  it("deliver rejects with DeliveryFailed listing the failures", async () => {
    const bus = createMessageBus({
      uow: () => new InMemoryStore().unitOfWork(),
      onError: () => {},
    });
    bus.subscribe("Deallocated", () => {
      throw new Error("down");
    });
    const event = {
      type: "Deallocated",
      orderid: "o1",
      sku: "LAMP",
      qty: 1,
      batchref: "b1",
    } as const;
    const error = await catchRejection(() => bus.deliver({ id: "9", event }));
    expect(DeliveryFailed.is(error) && error.failures.length).toBe(1);
  });
});

describe("a message is a plain object", () => {
  it("an OrderLine is not needed to talk to the bus", async () => {
    const { bus } = bootstrap();
    const message: Message = { type: "CreateBatch" };
    expect(message.type).toBe("CreateBatch");
    expect(new OrderLine("o1", "LAMP", 1).orderid).toBe("o1");
    expect(await catchRejection(() => bus.handle(message as never))).toMatchObject({
      field: "ref",
    });
  });
});

describe("the message bus refuses what it cannot run, with typed errors", () => {
  const uow = () => new InMemoryStore().unitOfWork();

  it("refuses malformed options when it is created", () => {
    for (const options of [
      null,
      {},
      { uow: "nope" },
      { uow, onError: 1 },
      { uow, delivery: "carrier pigeon" },
      { uow, retries: -1 },
      { uow, commands: [] },
      { uow, commands: { Mine: { handle: 1 } } },
      { uow, commands: { Mine: { handle: () => 1, read: 1 } } },
      { uow, events: { Allocated: defineEvent() } },
      { uow, events: { Mine: { read: "no" } } },
    ]) {
      expect(() => createMessageBus(options as never), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: "VALIDATION_ERROR" }),
      );
    }
  });

  it("refuses to subscribe to an unknown event type or with a handler that is not a function", () => {
    const bus = createMessageBus({ uow });
    expect(() => bus.subscribe("Reticulated" as never, () => {})).toThrow(UnknownMessage);
    expect(() => bus.subscribe("Allocate" as never, () => {})).toThrow(UnknownMessage);
    expect(() => bus.subscribe("Allocated", "no" as never)).toThrow(
      expect.objectContaining({ code: "VALIDATION_ERROR" }),
    );
  });

  it("an event handler that sends an event instead of a command fails to onError, and the queue goes on", async () => {
    const onError = vi.fn();
    const store = new InMemoryStore();
    const bus = createMessageBus({ uow: () => store.unitOfWork(), onError });
    const later = vi.fn();
    bus.subscribe("Allocated", (event, { send }) => send({ ...event } as never));
    bus.subscribe("Allocated", later);
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
    await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 });
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: "VALIDATION_ERROR" }),
      expect.anything(),
    );
    expect(later).toHaveBeenCalledOnce();
  });

  it("a command an event handler sent that fails goes to onError, with the command", async () => {
    const onError = vi.fn();
    const store = new InMemoryStore();
    const bus = createMessageBus({ uow: () => store.unitOfWork(), onError });
    bus.subscribe("Allocated", (_event, { send }) =>
      send({ type: "Allocate", orderid: "x", sku: "NOPE", qty: 1 }),
    );
    await bus.handle({ type: "CreateBatch", ref: "b1", sku: "LAMP", qty: 10 });
    await bus.handle({ type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 });
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: "INVALID_SKU" }),
      expect.objectContaining({ type: "Allocate", sku: "NOPE" }),
    );
  });

  it("an onError that throws does not stop the queue, and the default reports to console.error", async () => {
    const throwing = createMessageBus({
      uow,
      onError: () => {
        throw new Error("the reporter is down too");
      },
    });
    throwing.subscribe("OutOfStock", () => {
      throw new Error("down");
    });
    await expect(
      throwing.handle({ type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 1 }),
    ).resolves.toBeUndefined();

    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const quiet = createMessageBus({ uow });
      quiet.subscribe("OutOfStock", () => {
        throw new Error("down");
      });
      await quiet.handle({ type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 1 });
      expect(spy).toHaveBeenCalledWith(
        "cosmic-allocation: a handler of OutOfStock failed",
        expect.any(Error),
      );
    } finally {
      spy.mockRestore();
    }
  });

  it("checks the fields of an event handed to it, with its own reader for events of your own", async () => {
    const bus = createMessageBus({
      uow,
      events: {
        Checked: defineEvent<{ readonly type: "Checked"; readonly n: number }>((message) => {
          if (typeof message.n !== "number") throw new TypeError("n must be a number");
          return message as unknown as { readonly type: "Checked"; readonly n: number };
        }),
      },
    });
    const seen: number[] = [];
    bus.subscribe("Checked", (event) => void seen.push(event.n));
    await bus.handle({ type: "Checked", n: 3 });
    await expect(bus.handle({ type: "Checked" } as never)).rejects.toThrow("n must be a number");
    expect(seen).toEqual([3]);
    for (const bad of [
      { type: "Allocated", orderid: "o1", sku: "LAMP", qty: 1 },
      { type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 0 },
    ]) {
      expect(await catchRejection(() => bus.handle(bad as never))).toMatchObject({
        code: "VALIDATION_ERROR",
      });
    }
  });

  it("a command of your own is read by its own reader before any unit of work opens", async () => {
    const opened = vi.fn(() => new InMemoryStore().unitOfWork());
    const bus = createMessageBus({
      uow: opened,
      commands: {
        Double: defineCommand<{ readonly type: "Double"; readonly n: number }, number>({
          read: (message) => {
            if (typeof message.n !== "number") throw new TypeError("n must be a number");
            return message as unknown as { readonly type: "Double"; readonly n: number };
          },
          handle: ({ n }) => 2 * n,
        }),
      },
    });
    await expect(bus.handle({ type: "Double" } as never)).rejects.toThrow("n must be a number");
    expect(opened).not.toHaveBeenCalled();
    expect(await bus.handle({ type: "Double", n: 21 })).toBe(42);
  });

  it("deliver takes only an outbox entry holding an event", async () => {
    const bus = createMessageBus({ uow });
    for (const entry of [
      null,
      { id: "", event: {} },
      { id: "1", event: { type: "Allocate", orderid: "o", sku: "S", qty: 1 } },
    ]) {
      expect(await catchRejection(() => bus.deliver(entry as never))).toMatchObject({
        code: "VALIDATION_ERROR",
      });
    }
  });
});
