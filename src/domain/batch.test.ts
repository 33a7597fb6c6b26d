import {
  Batch,
  InsufficientStock,
  OrderLine,
  SkuMismatch,
  ValidationError,
} from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

const today = new Date("2026-11-24");

function makeBatchAndLine(sku: string, batchQty: number, lineQty: number): [Batch, OrderLine] {
  return [new Batch("batch-001", sku, batchQty, today), new OrderLine("order-123", sku, lineQty)];
}

describe("a batch (the book's chapter 1)", () => {
  it("reduces the available quantity when a line is allocated", () => {
    const batch = new Batch("batch-001", "SMALL-TABLE", 20, today);
    batch.allocate(new OrderLine("order-ref", "SMALL-TABLE", 2));
    expect(batch.availableQuantity).toBe(18);
  });

  it("can allocate if available is greater than required", () => {
    const [large, small] = makeBatchAndLine("ELEGANT-LAMP", 20, 2);
    expect(large.canAllocate(small)).toBe(true);
  });

  it("cannot allocate if available is smaller than required", () => {
    const [small, large] = makeBatchAndLine("ELEGANT-LAMP", 2, 20);
    expect(small.canAllocate(large)).toBe(false);
  });

  it("can allocate if available is equal to required", () => {
    const [batch, line] = makeBatchAndLine("ELEGANT-LAMP", 2, 2);
    expect(batch.canAllocate(line)).toBe(true);
  });

  it("cannot allocate if skus do not match", () => {
    const batch = new Batch("batch-001", "UNCOMFORTABLE-CHAIR", 100);
    const differentSkuLine = new OrderLine("order-123", "EXPENSIVE-TOASTER", 10);
    expect(batch.canAllocate(differentSkuLine)).toBe(false);
  });

  it("allocates idempotently: the same line twice counts once", () => {
    const [batch, line] = makeBatchAndLine("ANGULAR-DESK", 20, 2);
    batch.allocate(line);
    batch.allocate(new OrderLine("order-123", "ANGULAR-DESK", 2));
    expect(batch.availableQuantity).toBe(18);
    expect(batch.allocations).toHaveLength(1);
  });

  it("can only deallocate allocated lines", () => {
    const [batch, unallocatedLine] = makeBatchAndLine("DECORATIVE-TRINKET", 20, 2);
    expect(batch.deallocate(unallocatedLine)).toBe(false);
    expect(batch.availableQuantity).toBe(20);
  });

  it("gives back the quantity of a deallocated line", () => {
    const [batch, line] = makeBatchAndLine("DECORATIVE-TRINKET", 20, 2);
    batch.allocate(line);
    expect(batch.deallocate(line)).toBe(true);
    expect(batch.availableQuantity).toBe(20);
    expect(batch.isAllocated(line)).toBe(false);
  });
});

describe("a batch refuses a line it cannot take, and stays unchanged", () => {
  it("throws SkuMismatch for a line of another sku", () => {
    const batch = new Batch("batch-001", "UNCOMFORTABLE-CHAIR", 100);
    const error = catchError(() => batch.allocate(new OrderLine("o1", "EXPENSIVE-TOASTER", 10)));
    expect(SkuMismatch.is(error)).toBe(true);
    expect(error).toMatchObject({ expected: "UNCOMFORTABLE-CHAIR", actual: "EXPENSIVE-TOASTER" });
    expect(batch.availableQuantity).toBe(100);
  });

  it("throws InsufficientStock for a line larger than what is available", () => {
    const [batch, line] = makeBatchAndLine("SMALL-TABLE", 2, 3);
    const error = catchError(() => batch.allocate(line));
    expect(InsufficientStock.is(error)).toBe(true);
    expect(error).toMatchObject({ reference: "batch-001", requested: 3, available: 2 });
    expect(batch.allocations).toEqual([]);
  });
});

describe("a batch is an entity", () => {
  it("is equal to another batch with the same reference, whatever else differs", () => {
    expect(new Batch("b1", "LAMP", 10).equals(new Batch("b1", "TABLE", 99, today))).toBe(true);
    expect(new Batch("b1", "LAMP", 10).equals(new Batch("b2", "LAMP", 10))).toBe(false);
  });

  it("keeps its eta to itself: changing a Date it returned changes nothing", () => {
    const batch = new Batch("b1", "LAMP", 10, new Date("2026-12-01"));
    batch.eta?.setUTCFullYear(1999);
    expect(batch.eta?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  it("has no eta when it is in the warehouse", () => {
    expect(new Batch("b1", "LAMP", 10).eta).toBeNull();
    expect(new Batch("b1", "LAMP", 10, null).eta).toBeNull();
  });

  it("returns a fresh copy of its allocations, oldest first", () => {
    const batch = new Batch("b1", "LAMP", 10);
    const first = new OrderLine("o1", "LAMP", 1);
    const second = new OrderLine("o2", "LAMP", 1);
    batch.allocate(first);
    batch.allocate(second);
    const allocations = batch.allocations as OrderLine[];
    allocations.pop();
    expect(batch.allocations).toEqual([first, second]);
  });
});

describe("changing a batch's purchased quantity", () => {
  it("releases the most recently allocated lines until the batch is not over-allocated", () => {
    const batch = new Batch("b1", "LAMP", 10);
    const [o1, o2, o3] = [
      new OrderLine("o1", "LAMP", 4),
      new OrderLine("o2", "LAMP", 3),
      new OrderLine("o3", "LAMP", 2),
    ];
    for (const line of [o1, o2, o3]) batch.allocate(line);
    expect(batch.changePurchasedQuantity(5)).toEqual([o3, o2]);
    expect(batch.allocations).toEqual([o1]);
    expect(batch.purchasedQuantity).toBe(5);
    expect(batch.availableQuantity).toBe(1);
  });

  it("releases nothing when the lines still fit", () => {
    const batch = new Batch("b1", "LAMP", 10);
    batch.allocate(new OrderLine("o1", "LAMP", 4));
    expect(batch.changePurchasedQuantity(4)).toEqual([]);
    expect(batch.changePurchasedQuantity(40)).toEqual([]);
    expect(batch.availableQuantity).toBe(36);
  });

  it("rejects a quantity that is not a non-negative safe integer", () => {
    const batch = new Batch("b1", "LAMP", 10);
    for (const qty of [-1, 1.5, Number.NaN, "3"]) {
      expect(
        ValidationError.is(catchError(() => batch.changePurchasedQuantity(qty as number))),
      ).toBe(true);
    }
    expect(batch.purchasedQuantity).toBe(10);
  });
});

describe("a batch validates what it is given", () => {
  it.each([
    ["reference", ["", "LAMP", 1]],
    ["sku", ["b1", null, 1]],
    ["qty", ["b1", "LAMP", -1]],
    ["qty", ["b1", "LAMP", 0.5]],
    ["eta", ["b1", "LAMP", 1, new Date("not a date")]],
    ["eta", ["b1", "LAMP", 1, "2026-01-01"]],
    ["eta", ["b1", "LAMP", 1, 1767225600000]],
  ])("rejects a bad %s with a ValidationError", (field, args) => {
    const [reference, sku, qty, eta] = args as [string, string, number, Date | null];
    expect(catchError(() => new Batch(reference, sku, qty, eta))).toMatchObject({
      code: "VALIDATION_ERROR",
      field,
    });
  });

  it("accepts an empty batch: a quantity of zero", () => {
    expect(new Batch("b1", "LAMP", 0).availableQuantity).toBe(0);
  });

  it.each(["allocate", "deallocate", "canAllocate", "isAllocated"] as const)(
    "rejects %s of something that is not an order line",
    (method) => {
      const batch = new Batch("b1", "LAMP", 10);
      const notALine = { orderid: "o1", sku: "LAMP", qty: 1 } as unknown as OrderLine;
      expect(catchError(() => batch[method](notALine))).toMatchObject({ field: "line" });
      expect(batch.availableQuantity).toBe(10);
    },
  );
});

describe("a batch in JSON", () => {
  it("round-trips with its eta as an ISO date and its allocations in order", () => {
    const batch = new Batch("b1", "LAMP", 10, new Date("2026-12-01T10:30:00Z"));
    batch.allocate(new OrderLine("o2", "LAMP", 3));
    batch.allocate(new OrderLine("o1", "LAMP", 1));
    const json = JSON.parse(JSON.stringify(batch));
    expect(json).toEqual({
      reference: "b1",
      sku: "LAMP",
      qty: 10,
      eta: "2026-12-01T10:30:00.000Z",
      allocations: [
        { orderid: "o2", sku: "LAMP", qty: 3 },
        { orderid: "o1", sku: "LAMP", qty: 1 },
      ],
    });
    const copy = Batch.fromJSON(json);
    expect(copy.toJSON()).toEqual(batch.toJSON());
    expect(copy.availableQuantity).toBe(6);
  });

  it("accepts a leap day, a six-digit year and years before 100", () => {
    const base = { reference: "b1", sku: "LAMP", qty: 1, allocations: [] };
    expect(Batch.fromJSON({ ...base, eta: "2028-02-29" }).eta?.toISOString()).toBe(
      "2028-02-29T00:00:00.000Z",
    );
    expect(Batch.fromJSON({ ...base, eta: "+012026-01-01" }).eta?.getUTCFullYear()).toBe(12026);
    expect(Batch.fromJSON({ ...base, eta: "0004-02-29" }).eta?.getUTCFullYear()).toBe(4);
  });

  it("reads an eta as toJSON writes it, or as a bare date at midnight UTC", () => {
    const base = { reference: "b1", sku: "LAMP", qty: 1, allocations: [] };
    expect(Batch.fromJSON({ ...base, eta: "2026-12-01" }).eta?.toISOString()).toBe(
      "2026-12-01T00:00:00.000Z",
    );
    expect(Batch.fromJSON({ ...base, eta: "2026-12-01T09:30:00.000Z" }).eta?.toISOString()).toBe(
      "2026-12-01T09:30:00.000Z",
    );
  });

  it.each([
    [{ eta: "2026-02-30" }, "eta"],
    [{ eta: "2026-13-01" }, "eta"],
    [{ eta: "2026-12-01T10:00:00" }, "eta"],
    [{ eta: "2026-12-01T25:00:00Z" }, "eta"],
    [{ eta: "2026-12-01T23:59:60Z" }, "eta"],
    [{ eta: "2026-12-01T10:00:00+25:00" }, "eta"],
    [{ eta: "2026-12-01T09:00:00+02:00" }, "eta"],
    [{ eta: "2026-12-01T09:30:00Z" }, "eta"],
    [{ eta: "2026-12-1" }, "eta"],
    [{ eta: "2025-02-29" }, "eta"],
    [{ eta: "tomorrow" }, "eta"],
    [{ eta: 0 }, "eta"],
    [{ eta: undefined }, "eta"],
    [{ qty: -1 }, "qty"],
    [{ allocations: {} }, "allocations"],
    [{ allocations: [{ orderid: "o1", sku: "TABLE", qty: 1 }] }, "allocations[0]"],
    [{ allocations: [{ orderid: "o1", sku: "LAMP", qty: 0 }] }, "allocations[0].qty"],
    [
      {
        allocations: [
          { orderid: "o1", sku: "LAMP", qty: 1 },
          { orderid: "o1", sku: "LAMP", qty: 1 },
        ],
      },
      "allocations[1]",
    ],
    [{ qty: 2, allocations: [{ orderid: "o1", sku: "LAMP", qty: 3 }] }, "allocations[0]"],
  ])("rejects invalid JSON %j at the field %s", (override, field) => {
    const json = { reference: "b1", sku: "LAMP", qty: 10, eta: null, allocations: [], ...override };
    const error = catchError(() => Batch.fromJSON(json));
    expect(ValidationError.is(error)).toBe(true);
    expect(error).toMatchObject({ field });
  });

  it("names the invalid field, and the batch itself when it is not an object", () => {
    expect(catchError(() => Batch.fromJSON({ reference: "", eta: null }))).toMatchObject({
      field: "reference",
    });
    expect(catchError(() => Batch.fromJSON("nope"))).toMatchObject({ field: "batch" });
  });
});
