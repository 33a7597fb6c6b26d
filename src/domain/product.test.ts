import {
  Batch,
  type BatchView,
  DuplicateBatch,
  OrderLine,
  OutOfStock,
  Product,
  SkuMismatch,
  UnknownBatch,
  ValidationError,
} from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

const today = new Date("2026-11-24");
const tomorrow = new Date("2026-11-25");
const later = new Date("2026-12-24");

describe("the Product aggregate (the book's chapter 7)", () => {
  it("prefers warehouse batches to shipments", () => {
    const inStockBatch = new Batch("in-stock-batch", "RETRO-CLOCK", 100, null);
    const shipmentBatch = new Batch("shipment-batch", "RETRO-CLOCK", 100, tomorrow);
    const product = new Product("RETRO-CLOCK", [inStockBatch, shipmentBatch]);

    product.allocate(new OrderLine("oref", "RETRO-CLOCK", 10));

    expect(product.getBatch("in-stock-batch")?.availableQuantity).toBe(90);
    expect(product.getBatch("shipment-batch")?.availableQuantity).toBe(100);
  });

  it("prefers earlier batches", () => {
    const earliest = new Batch("speedy-batch", "MINIMALIST-SPOON", 100, today);
    const medium = new Batch("normal-batch", "MINIMALIST-SPOON", 100, tomorrow);
    const latest = new Batch("slow-batch", "MINIMALIST-SPOON", 100, later);
    const product = new Product("MINIMALIST-SPOON", [medium, earliest, latest]);

    product.allocate(new OrderLine("order1", "MINIMALIST-SPOON", 10));

    expect(product.getBatch(earliest.reference)?.availableQuantity).toBe(90);
    expect(product.getBatch(medium.reference)?.availableQuantity).toBe(100);
    expect(product.getBatch(latest.reference)?.availableQuantity).toBe(100);
  });

  it("returns the allocated batch's reference", () => {
    const inStockBatch = new Batch("in-stock-batch-ref", "HIGHBROW-POSTER", 100, null);
    const shipmentBatch = new Batch("shipment-batch-ref", "HIGHBROW-POSTER", 100, tomorrow);
    const product = new Product("HIGHBROW-POSTER", [inStockBatch, shipmentBatch]);
    expect(product.allocate(new OrderLine("oref", "HIGHBROW-POSTER", 10))).toBe(
      "in-stock-batch-ref",
    );
  });

  it("raises an OutOfStock exception if it cannot allocate", () => {
    const product = new Product("SMALL-FORK", [new Batch("batch1", "SMALL-FORK", 10, today)]);
    product.allocate(new OrderLine("order1", "SMALL-FORK", 10));

    const error = catchError(() => product.allocate(new OrderLine("order2", "SMALL-FORK", 1)));

    expect(OutOfStock.is(error)).toBe(true);
    expect((error as Error).message).toBe("Out of stock for sku SMALL-FORK");
  });

  it("increments the version number on allocation", () => {
    const product = new Product("SCANDI-PEN", [new Batch("b1", "SCANDI-PEN", 100)], 7);
    product.allocate(new OrderLine("oref", "SCANDI-PEN", 10));
    expect(product.versionNumber).toBe(8);
  });

  it("records an OutOfStock event if it cannot allocate (the book's chapter 8)", () => {
    const product = new Product("SMALL-FORK", [new Batch("batch1", "SMALL-FORK", 10, today)]);
    product.allocate(new OrderLine("order1", "SMALL-FORK", 10));
    catchError(() => product.allocate(new OrderLine("order2", "SMALL-FORK", 1)));
    expect(product.events.at(-1)).toEqual({
      type: "OutOfStock",
      orderid: "order2",
      sku: "SMALL-FORK",
      qty: 1,
    });
  });
});

describe("allocation through the product", () => {
  it("does not raise the version for a repeated line or a failure", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 5)]);
    const line = new OrderLine("o1", "LAMP", 5);
    product.allocate(line);
    expect(product.allocate(line)).toBe("b1");
    catchError(() => product.allocate(new OrderLine("o2", "LAMP", 1)));
    expect(product.versionNumber).toBe(1);
  });

  it("falls back to a later batch and keeps insertion order between equal etas", () => {
    const product = new Product("LAMP", [
      new Batch("small-warehouse", "LAMP", 2),
      new Batch("first-ship", "LAMP", 10, tomorrow),
      new Batch("second-ship", "LAMP", 10, tomorrow),
    ]);
    expect(product.allocate(new OrderLine("o1", "LAMP", 3))).toBe("first-ship");
    expect(product.allocate(new OrderLine("o2", "LAMP", 8))).toBe("second-ship");
    expect(product.allocate(new OrderLine("o3", "LAMP", 2))).toBe("small-warehouse");
  });

  it("places a batch added later by its eta, after existing batches with the same eta", () => {
    const product = new Product("LAMP", [new Batch("later", "LAMP", 10, later)]);
    product.addBatch(new Batch("tomorrow-1", "LAMP", 10, tomorrow));
    product.addBatch(new Batch("tomorrow-2", "LAMP", 10, tomorrow));
    expect(product.allocate(new OrderLine("o1", "LAMP", 10))).toBe("tomorrow-1");
    expect(product.allocate(new OrderLine("o2", "LAMP", 10))).toBe("tomorrow-2");
    expect(product.allocate(new OrderLine("o3", "LAMP", 10))).toBe("later");
  });

  it("records an Allocated event per new allocation", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    product.allocate(new OrderLine("o1", "LAMP", 4));
    product.allocate(new OrderLine("o1", "LAMP", 4));
    expect(product.events).toEqual([
      { type: "Allocated", orderid: "o1", sku: "LAMP", qty: 4, batchref: "b1" },
    ]);
    expect(Object.isFrozen(product.events[0])).toBe(true);
  });

  it("takes its own copies: changing a Batch after handing it over does not touch the product", () => {
    const warehouse = new Batch("warehouse", "LAMP", 10);
    const ship = new Batch("ship", "LAMP", 10, tomorrow);
    const product = new Product("LAMP", [warehouse, ship]);
    warehouse.allocate(new OrderLine("direct", "LAMP", 9));
    expect(product.getBatch("warehouse")?.availableQuantity).toBe(10);
    expect(product.allocate(new OrderLine("o1", "LAMP", 10))).toBe("warehouse");
    expect(warehouse.availableQuantity).toBe(1);
    const added = new Batch("later", "LAMP", 5, later);
    product.addBatch(added);
    added.changePurchasedQuantity(0);
    expect(product.getBatch("later")?.purchasedQuantity).toBe(5);
  });

  it("hands out batch views with no way to change the stock, in their type or at runtime", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    const [view] = product.batches;
    for (const mutator of ["allocate", "deallocate", "changePurchasedQuantity", "_clone"]) {
      expect(mutator in (view as object)).toBe(false);
      expect(mutator in (product.getBatch("b1") as object)).toBe(false);
    }
    expect(Object.isFrozen(view)).toBe(true);
    expect(view?.eta).toBeNull();
    expect(view?.equals(new Batch("b1", "LAMP", 1))).toBe(true);
    expect(new Batch("b1", "LAMP", 1).equals(view as BatchView)).toBe(true);
    expect(view?.toJSON()).toEqual(new Batch("b1", "LAMP", 10).toJSON());
    const { proxy, revoke } = Proxy.revocable({ reference: "b1" }, {});
    revoke();
    expect(view?.equals(proxy)).toBe(false);
    expect(view?.equals({ reference: "b1" })).toBe(true);
    expect(view?.equals(null as never)).toBe(false);
  });

  it("with many batches, finds a repeated line in the batch that holds it", () => {
    const batches = Array.from({ length: 40 }, (_, index) => new Batch(`b${index}`, "LAMP", 2));
    const product = new Product("LAMP", batches);
    const line = new OrderLine("o1", "LAMP", 2);
    expect(product.allocate(line)).toBe("b0");
    expect(product.allocate(line)).toBe("b0");
    expect(product.deallocate(line)).toBe("b0");
    product.addBatch(new Batch("b40", "LAMP", 2, new Date("2027-01-01")));
    expect(product.allocate(line)).toBe("b0");
    expect(product.linesOf("o1")).toEqual([{ line, batchref: "b0" }]);
  });

  it("rejects a line of another sku", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    const error = catchError(() => product.allocate(new OrderLine("o1", "TABLE", 1)));
    expect(SkuMismatch.is(error)).toBe(true);
    expect(product.events).toEqual([]);
  });
});

describe("deallocation through the product", () => {
  it("releases the line from its batch, raises the version and records a Deallocated event", () => {
    const batch = new Batch("b1", "LAMP", 10);
    const product = new Product("LAMP", [batch]);
    const line = new OrderLine("o1", "LAMP", 4);
    product.allocate(line);
    expect(product.deallocate(line)).toBe("b1");
    expect(batch.availableQuantity).toBe(10);
    expect(product.versionNumber).toBe(2);
    expect(product.events.at(-1)).toEqual({
      type: "Deallocated",
      orderid: "o1",
      sku: "LAMP",
      qty: 4,
      batchref: "b1",
    });
  });

  it("changes nothing for a line it does not hold", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    expect(product.deallocate(new OrderLine("o1", "LAMP", 4))).toBeNull();
    expect(product.versionNumber).toBe(0);
    expect(product.events).toEqual([]);
  });

  it("lets the line be allocated again afterwards", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 4)]);
    const line = new OrderLine("o1", "LAMP", 4);
    product.allocate(line);
    product.deallocate(line);
    expect(product.allocate(line)).toBe("b1");
  });
});

describe("adding batches", () => {
  it("raises the version", () => {
    const product = new Product("LAMP");
    product.addBatch(new Batch("b1", "LAMP", 10));
    expect(product.versionNumber).toBe(1);
    expect(product.getBatch("b1")?.purchasedQuantity).toBe(10);
  });

  it("takes over the lines a new batch already holds", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    const arriving = new Batch("b2", "LAMP", 10, tomorrow);
    const line = new OrderLine("o1", "LAMP", 3);
    arriving.allocate(line);
    product.addBatch(arriving);
    expect(product.allocate(line)).toBe("b2");
    expect(product.deallocate(line)).toBe("b2");
  });

  it("rejects a batch of another sku, a duplicate reference, and a line held twice", () => {
    const held = new OrderLine("o1", "LAMP", 1);
    const first = new Batch("b1", "LAMP", 10);
    first.allocate(held);
    const product = new Product("LAMP", [first]);
    expect(SkuMismatch.is(catchError(() => product.addBatch(new Batch("b2", "TABLE", 1))))).toBe(
      true,
    );
    const duplicate = catchError(() => product.addBatch(new Batch("b1", "LAMP", 1)));
    expect(DuplicateBatch.is(duplicate)).toBe(true);
    expect(duplicate).toMatchObject({ reference: "b1", message: "Duplicate batch b1" });
    const holdsSameLine = new Batch("b3", "LAMP", 10);
    holdsSameLine.allocate(held);
    expect(ValidationError.is(catchError(() => product.addBatch(holdsSameLine)))).toBe(true);
    expect(ValidationError.is(catchError(() => product.addBatch({} as Batch)))).toBe(true);
    expect(product.batches).toEqual([first]);
    expect(product.versionNumber).toBe(0);
  });
});

describe("changing a batch's quantity through the product", () => {
  function productWithTwoBatches(): Product {
    const product = new Product("LAMP", [
      new Batch("warehouse", "LAMP", 10),
      new Batch("ship", "LAMP", 5, tomorrow),
    ]);
    product.allocate(new OrderLine("o1", "LAMP", 6));
    product.allocate(new OrderLine("o2", "LAMP", 3));
    product.takeEvents();
    return product;
  }

  it("moves the most recent lines to other batches and reports where they went", () => {
    const product = productWithTwoBatches();
    const change = product.changeBatchQuantity("warehouse", 6);
    expect(change.reference).toBe("warehouse");
    expect(change.moved.map(({ line, batchref }) => [line.orderid, batchref])).toEqual([
      ["o2", "ship"],
    ]);
    expect(change.unallocated).toEqual([]);
    expect(product.getBatch("warehouse")?.availableQuantity).toBe(0);
    expect(product.getBatch("ship")?.availableQuantity).toBe(2);
    expect(product.events).toEqual([
      { type: "Deallocated", orderid: "o2", sku: "LAMP", qty: 3, batchref: "warehouse" },
      { type: "Allocated", orderid: "o2", sku: "LAMP", qty: 3, batchref: "ship" },
    ]);
  });

  it("reports lines no batch can take as unallocated, with OutOfStock events", () => {
    const product = productWithTwoBatches();
    const change = product.changeBatchQuantity("warehouse", 0);
    expect(change.moved.map(({ line, batchref }) => [line.orderid, batchref])).toEqual([
      ["o2", "ship"],
    ]);
    expect(change.unallocated.map((line) => line.orderid)).toEqual(["o1"]);
    expect(product.events.map((event) => event.type)).toEqual([
      "Deallocated",
      "OutOfStock",
      "Deallocated",
      "Allocated",
    ]);
  });

  it("re-allocates released lines oldest first, possibly back into the same batch", () => {
    const product = new Product("LAMP", [new Batch("warehouse", "LAMP", 10)]);
    product.allocate(new OrderLine("a", "LAMP", 5));
    product.allocate(new OrderLine("b", "LAMP", 1));
    product.allocate(new OrderLine("c", "LAMP", 4));
    const change = product.changeBatchQuantity("warehouse", 4);
    // a (5) no longer fits; then b (1) goes back, then c (4) does not fit after b.
    expect(change.moved).toEqual([]);
    expect(change.unallocated.map((line) => line.orderid)).toEqual(["a", "c"]);
    expect(product.getBatch("warehouse")?.allocations.map((line) => line.orderid)).toEqual(["b"]);
  });

  it("raises the version once when the quantity changes, and not at all when it does not", () => {
    const product = productWithTwoBatches();
    const before = product.versionNumber;
    product.changeBatchQuantity("warehouse", 9);
    expect(product.versionNumber).toBe(before + 1);
    const unchanged = product.changeBatchQuantity("warehouse", 9);
    expect(unchanged).toEqual({ reference: "warehouse", moved: [], unallocated: [] });
    expect(product.versionNumber).toBe(before + 1);
  });

  it("rejects an unknown batch and an invalid quantity without changing anything", () => {
    const product = productWithTwoBatches();
    const unknown = catchError(() => product.changeBatchQuantity("nope", 1));
    expect(UnknownBatch.is(unknown)).toBe(true);
    expect(unknown).toMatchObject({ reference: "nope", message: "Unknown batch nope" });
    expect(ValidationError.is(catchError(() => product.changeBatchQuantity("ship", -2)))).toBe(
      true,
    );
    expect(product.toJSON()).toEqual(productWithTwoBatches().toJSON());
  });
});

describe("building a product", () => {
  it("takes the given batches in order and starts at version 0", () => {
    const batches = [new Batch("b1", "LAMP", 1), new Batch("b2", "LAMP", 2)];
    const product = new Product("LAMP", batches);
    expect(product.sku).toBe("LAMP");
    expect(product.versionNumber).toBe(0);
    expect(product.batches).toEqual(batches);
    expect(product.batches).not.toBe(product.batches);
  });

  it.each([
    [
      "a batch of another sku",
      () => new Product("LAMP", [new Batch("b1", "TABLE", 1)]),
      "SKU_MISMATCH",
    ],
    [
      "two batches with one reference",
      () => new Product("LAMP", [new Batch("b1", "LAMP", 1), new Batch("b1", "LAMP", 2)]),
      "DUPLICATE_BATCH",
    ],
    ["an empty sku", () => new Product(""), "VALIDATION_ERROR"],
    ["a negative version", () => new Product("LAMP", [], -1), "VALIDATION_ERROR"],
    ["a fractional version", () => new Product("LAMP", [], 0.5), "VALIDATION_ERROR"],
    ["batches that are not iterable", () => new Product("LAMP", 3 as never), "VALIDATION_ERROR"],
    ["a batch that is not a Batch", () => new Product("LAMP", [{}] as never), "VALIDATION_ERROR"],
  ])("rejects %s", (_, build, code) => {
    expect(catchError(build)).toMatchObject({ code });
  });

  it("rejects batches that hold the same line twice", () => {
    const line = new OrderLine("o1", "LAMP", 1);
    const first = new Batch("b1", "LAMP", 5);
    const second = new Batch("b2", "LAMP", 5);
    first.allocate(line);
    second.allocate(line);
    expect(catchError(() => new Product("LAMP", [first, second]))).toMatchObject({
      field: "batches[1]",
    });
  });
});

describe("events", () => {
  it("are drained by takeEvents", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    product.allocate(new OrderLine("o1", "LAMP", 1));
    expect(product.takeEvents()).toHaveLength(1);
    expect(product.events).toEqual([]);
  });
});

describe("a product in JSON", () => {
  it("round-trips losslessly, including the version and the order of batches and lines", () => {
    const product = new Product("LAMP", [
      new Batch("ship", "LAMP", 10, tomorrow),
      new Batch("warehouse", "LAMP", 3),
    ]);
    product.allocate(new OrderLine("o1", "LAMP", 2));
    product.allocate(new OrderLine("o2", "LAMP", 2));
    const copy = Product.fromJSON(JSON.parse(JSON.stringify(product)));
    expect(copy.toJSON()).toEqual(product.toJSON());
    expect(copy.allocate(new OrderLine("o3", "LAMP", 1))).toBe("warehouse");
    expect(copy.events.map((event) => event.type)).toEqual(["Allocated"]);
  });

  it.each([
    [null, "product"],
    [{ sku: "LAMP", versionNumber: -1, batches: [] }, "versionNumber"],
    [{ sku: "LAMP", versionNumber: 0 }, "batches"],
    [{ sku: "LAMP", versionNumber: 0, batches: [{}] }, "batches[0].eta"],
    [{ sku: "LAMP", versionNumber: 0, batches: [null] }, "batches[0]"],
    [
      {
        sku: "LAMP",
        versionNumber: 0,
        batches: [
          {
            reference: "b1",
            sku: "LAMP",
            qty: 5,
            eta: null,
            allocations: [{ orderid: "o1", sku: "LAMP", qty: 0 }],
          },
        ],
      },
      "batches[0].allocations[0].qty",
    ],
  ])("rejects invalid JSON %j at %s", (json, field) => {
    expect(catchError(() => Product.fromJSON(json))).toMatchObject({ field });
  });
});
