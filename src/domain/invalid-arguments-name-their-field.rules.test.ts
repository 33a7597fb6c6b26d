import {
  allocate,
  Batch,
  InMemoryStore,
  OrderLine,
  Product,
  planAllocations,
  ValidationError,
} from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError, catchRejection } from "../../test/catch-error";

// Callers without types (JavaScript, JSON from a request, a message queue)
// learn what was wrong from the ValidationError alone: it must name the
// argument or the path inside the document, and say what that must be.
const lamp = () => new Batch("b1", "LAMP", 10);
const allocated = (orderid: string) => {
  const batch = new Batch(`batch-of-${orderid}`, "LAMP", 10);
  batch.allocate(new OrderLine(orderid, "LAMP", 1));
  return batch;
};
const batchJson = { reference: "b1", sku: "LAMP", qty: 10, eta: null, allocations: [] };
const productJson = { sku: "LAMP", versionNumber: 0, batches: [batchJson] };

const cases: ReadonlyArray<readonly [string, () => unknown, string, string]> = [
  // allocate and planAllocations
  [
    "allocate with batches that are not iterable",
    () => allocate(new OrderLine("o", "LAMP", 1), 42 as never),
    "batches",
    "an iterable of Batch",
  ],
  [
    "allocate with a line that is not an OrderLine",
    () => allocate({} as never, []),
    "line",
    "an OrderLine",
  ],
  [
    "planAllocations with lines that are not iterable",
    () => planAllocations(7 as never, []),
    "lines",
    "an iterable of OrderLine",
  ],
  [
    "planAllocations with batches that are not iterable",
    () => planAllocations([], 7 as never),
    "batches",
    "an iterable of Batch",
  ],
  [
    "planAllocations with a second batch that is not a Batch",
    () => planAllocations([], [lamp(), {} as never]),
    "batches[1]",
    "a Batch (not a Proxy of one)",
  ],
  [
    "allocate with batches undefined",
    () => allocate(new OrderLine("o", "LAMP", 1), undefined as never),
    "batches",
    "an iterable of Batch",
  ],
  // Batch
  [
    "a Batch with a quantity of 1.5",
    () => new Batch("b1", "LAMP", 1.5),
    "qty",
    "a non-negative safe integer",
  ],
  [
    "an OrderLine with a quantity of 0",
    () => new OrderLine("o1", "LAMP", 0),
    "qty",
    "a positive safe integer",
  ],
  [
    "a Batch with an eta that is not a Date",
    () => new Batch("b1", "LAMP", 1, "2026-12-01" as never),
    "eta",
    "a valid Date or null",
  ],
  [
    "changePurchasedQuantity to -1",
    () => lamp().changePurchasedQuantity(-1),
    "qty",
    "a non-negative safe integer",
  ],
  ["Batch.fromJSON of an array", () => Batch.fromJSON([]), "batch", "an object"],
  [
    "Batch.fromJSON with allocations that are not an array",
    () => Batch.fromJSON({ ...batchJson, allocations: {} }),
    "allocations",
    "an array",
  ],
  [
    "Batch.fromJSON with a line that is not an object",
    () => Batch.fromJSON({ ...batchJson, allocations: [3] }),
    "allocations[0]",
    "an object",
  ],
  [
    "Batch.fromJSON with a line's bad qty",
    () => Batch.fromJSON({ ...batchJson, allocations: [{ orderid: "o", sku: "LAMP", qty: 0 }] }),
    "allocations[0].qty",
    "a positive safe integer",
  ],
  [
    "Batch.fromJSON with a line of another sku",
    () => Batch.fromJSON({ ...batchJson, allocations: [{ orderid: "o", sku: "RUG", qty: 1 }] }),
    "allocations[0]",
    'a line of sku "LAMP", listed once, that fits in qty 10',
  ],
  [
    "Batch.fromJSON with an eta that is not ISO 8601",
    () => Batch.fromJSON({ ...batchJson, eta: "Dec 1, 2026" }),
    "eta",
    "an ISO 8601 date-time in UTC, a date, or null",
  ],
  // Product
  ["a Product with an empty sku", () => new Product(""), "sku", "a non-empty string"],
  [
    "a Product with a versionNumber of -1",
    () => new Product("LAMP", [], -1),
    "versionNumber",
    "a non-negative safe integer",
  ],
  [
    "a Product with batches that are not iterable",
    () => new Product("LAMP", 5 as never),
    "batches",
    "an iterable of Batch",
  ],
  [
    "a Product whose second batch is not a Batch",
    () => new Product("LAMP", [lamp(), {} as never]),
    "batches[1]",
    "a Batch (not a Proxy of one)",
  ],
  [
    "a Product whose second batch holds the first one's line",
    () =>
      new Product("LAMP", [
        allocated("o1"),
        (() => {
          const b = new Batch("b2", "LAMP", 5);
          b.allocate(new OrderLine("o1", "LAMP", 1));
          return b;
        })(),
      ]),
    "batches[1]",
    "batches that hold each order line once",
  ],
  [
    "Product.addBatch of something that is not a Batch",
    () => new Product("LAMP").addBatch({} as never),
    "batch",
    "a Batch (not a Proxy of one)",
  ],
  [
    "Product.addBatch of a batch holding a line the product holds",
    () =>
      new Product("LAMP", [allocated("o1")]).addBatch(
        (() => {
          const b = new Batch("b2", "LAMP", 5);
          b.allocate(new OrderLine("o1", "LAMP", 1));
          return b;
        })(),
      ),
    "batch",
    "a batch holding no line the product already holds",
  ],
  [
    "Product.changeBatchQuantity with an empty reference",
    () => new Product("LAMP", [lamp()]).changeBatchQuantity("", 1),
    "reference",
    "a non-empty string",
  ],
  [
    "Product.changeBatchQuantity to 2.5",
    () => new Product("LAMP", [lamp()]).changeBatchQuantity("b1", 2.5),
    "qty",
    "a non-negative safe integer",
  ],
  [
    "Product.allocate of something that is not an OrderLine",
    () => new Product("LAMP", [lamp()]).allocate({} as never),
    "line",
    "an OrderLine",
  ],
  [
    "Product.fromJSON with an empty sku",
    () => Product.fromJSON({ ...productJson, sku: "" }),
    "sku",
    "a non-empty string",
  ],
  [
    "Product.fromJSON with a batch's bad qty",
    () => Product.fromJSON({ ...productJson, batches: [{ ...batchJson, qty: -1 }] }),
    "batches[0].qty",
    "a non-negative safe integer",
  ],
];

describe("an invalid argument is rejected with a ValidationError naming it and what it must be", () => {
  it.each(cases)("%s", (_what, action, field, expected) => {
    const error = catchError(action);
    if (!ValidationError.is(error))
      throw new Error(`expected a ValidationError, got ${String(error)}`);
    expect({ field: error.field, expected: error.expected }).toEqual({ field, expected });
  });

  it("a repository's add of something that is not a Product: field product", async () => {
    const error = await catchRejection(() =>
      new InMemoryStore().unitOfWork().products.add({} as never),
    );
    if (!ValidationError.is(error))
      throw new Error(`expected a ValidationError, got ${String(error)}`);
    expect({ field: error.field, expected: error.expected }).toEqual({
      field: "product",
      expected: "a Product (not a Proxy of one)",
    });
  });
});
