import {
  createMessageBus,
  InMemoryStore,
  type MessageBus,
  services,
  ValidationError,
} from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError, catchRejection } from "../../test/catch-error";

// What a caller (an HTTP handler, a relay, a queue consumer) shows for a
// refused order or message: the field it sent wrong, named the way it sent it.
const store = new InMemoryStore();
const uow = () => store.unitOfWork();

const fieldOf = (error: unknown): string => {
  if (!ValidationError.is(error))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error.field;
};

describe("an invalid order names its field", () => {
  const lines = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ sku: `SKU-${index}`, qty: 1 }));
  it.each([
    ["orderid", { orderid: "", lines: lines(1) }],
    ["lines", { orderid: "o1", lines: "LAMP" }],
    ["lines", { orderid: "o1", lines: [] }],
    ["lines", { orderid: "o1", lines: lines(1001) }],
    ["lines[0]", { orderid: "o1", lines: [1] }],
    [
      "lines[1].sku",
      {
        orderid: "o1",
        lines: [
          { sku: "LAMP", qty: 1 },
          { sku: "LAMP", qty: 2 },
        ],
      },
    ],
  ])("allocateOrder names %s", async (field, command) => {
    expect(
      fieldOf(await catchRejection(() => services.allocateOrder(command as never, uow))),
    ).toMatch(new RegExp(`^${field.replace(/[[\]]/g, "\\$&")}`));
  });

  it("takes an order of 1,000 lines, the most one command may carry", async () => {
    const error = await catchRejection(() =>
      services.allocateOrder({ orderid: "big", lines: lines(1000) }, uow),
    );
    // Refused for stock (no such skus), not for its size.
    expect(ValidationError.is(error)).toBe(false);
  });
});

describe("the message bus names the field of every argument it refuses", () => {
  const handle = () => undefined;
  it.each([
    ["options", null],
    ["options.uow", { uow: 1 }],
    ["options.onError", { uow, onError: 1 }],
    ["options.delivery", { uow, delivery: "later" }],
    ["options.retries", { uow, retries: -1 }],
    ["options.backoff", { uow, backoff: 1 }],
    ["options.onRetry", { uow, onRetry: 1 }],
    ["options.commands", { uow, commands: 1 }],
    ["options.commands.Allocate", { uow, commands: { Allocate: { handle } } }],
    ["options.commands.Ship", { uow, commands: { Ship: 1 } }],
    ["options.commands.Ship.handle", { uow, commands: { Ship: { handle: 1 } } }],
    ["options.commands.Ship.read", { uow, commands: { Ship: { handle, read: 1 } } }],
    ["options.events", { uow, events: 1 }],
    ["options.events.Allocated", { uow, events: { Allocated: {} } }],
    ["options.events.Shipped.read", { uow, events: { Shipped: { read: 1 } } }],
  ])("createMessageBus names %s", (field, options) => {
    expect(fieldOf(catchError(() => createMessageBus(options as never)))).toBe(field);
  });

  const bus = createMessageBus({ uow }) as MessageBus<never, never> & {
    handle(message: unknown): Promise<unknown>;
    subscribe(type: unknown, handler: unknown): () => void;
    deliver(entry: unknown): Promise<void>;
  };

  it.each([
    ["message", 1],
    ["message.type", {}],
    ["orderid", { type: "Allocated", orderid: "", sku: "LAMP", qty: 1, batchref: "b1" }],
    ["sku", { type: "Deallocated", orderid: "o1", sku: "", qty: 1, batchref: "b1" }],
    ["qty", { type: "OutOfStock", orderid: "o1", sku: "LAMP", qty: 0 }],
    ["batchref", { type: "Allocated", orderid: "o1", sku: "LAMP", qty: 1, batchref: "" }],
  ])("handle names %s", async (field, message) => {
    expect(fieldOf(await catchRejection(() => bus.handle(message)))).toBe(field);
  });

  it.each([
    ["type", [1, handle]],
    ["handler", ["Allocated", 1]],
  ])("subscribe names %s", (field, [type, handler]) => {
    expect(fieldOf(catchError(() => bus.subscribe(type, handler)))).toBe(field);
  });

  it.each([
    ["entry", 1],
    ["entry.id", { id: "", event: {} }],
    ["entry.event", { id: "1", event: 1 }],
    ["entry.event.type", { id: "1", event: {} }],
    ["entry.event", { id: "1", event: { type: "Allocate", orderid: "o1", sku: "LAMP", qty: 1 } }],
  ])("deliver names %s", async (field, entry) => {
    expect(fieldOf(await catchRejection(() => bus.deliver(entry)))).toBe(field);
  });
});
