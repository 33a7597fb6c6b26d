import { InMemoryStore, services, ValidationError } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchRejection } from "../../test/catch-error";

// A caller (an HTTP handler, a queue consumer) maps a ValidationError to a
// message about one field, so the error must name the field the caller sent,
// and what it must be.
const store = new InMemoryStore();
const uow = () => store.unitOfWork();

async function rejection(action: () => Promise<unknown>): Promise<ValidationError> {
  const error = await catchRejection(action);
  if (!ValidationError.is(error))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}

describe("an invalid command or option is rejected with a ValidationError that names its field", () => {
  it.each([
    ["ref", { ref: "", sku: "LAMP", qty: 1, eta: null }],
    ["sku", { ref: "b1", sku: "", qty: 1, eta: null }],
    ["qty", { ref: "b1", sku: "LAMP", qty: 1.5, eta: null }],
    ["eta", { ref: "b1", sku: "LAMP", qty: 1, eta: "not a date" }],
  ])("addBatch names %s", async (field, command) => {
    const error = await rejection(() => services.addBatch(command, uow));
    expect(error.field).toBe(field);
  });

  it.each([
    ["ref", { ref: "", qty: 1 }],
    ["qty", { ref: "b1", qty: -1 }],
  ])("changeBatchQuantity names %s", async (field, command) => {
    const error = await rejection(() => services.changeBatchQuantity(command, uow));
    expect(error.field).toBe(field);
  });

  it("a unit-of-work factory that is not a function is named uow, expected to open a unit of work", async () => {
    const error = await rejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, "not a factory" as never),
    );
    expect(error.field).toBe("uow");
    expect(error.expected).toBe("a function that opens a unit of work");
  });

  it("options that are not an object are named options", async () => {
    const error = await rejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, uow, 42 as never),
    );
    expect(error.field).toBe("options");
  });

  it("a negative retries is named options.retries, expected a non-negative safe integer", async () => {
    const error = await rejection(() =>
      services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, uow, { retries: -1 }),
    );
    expect(error.field).toBe("options.retries");
    expect(error.expected).toBe("a non-negative safe integer");
  });

  it.each(["backoff", "publish", "onRetry"])(
    "an option %s that is not a function is named options.%s, expected a function",
    async (name) => {
      const error = await rejection(() =>
        services.allocate({ orderid: "o1", sku: "LAMP", qty: 1 }, uow, { [name]: 1 } as never),
      );
      expect(error.field).toBe(`options.${name}`);
      expect(error.expected).toBe("a function");
    },
  );
});
