import { allocate, Batch, OrderLine, OutOfStock, ValidationError } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

const today = new Date("2026-11-24");
const tomorrow = new Date("2026-11-25");
const later = new Date("2026-12-24");

describe("the allocate domain service (the book's chapter 1)", () => {
  it("prefers current stock batches to shipments", () => {
    const inStockBatch = new Batch("in-stock-batch", "RETRO-CLOCK", 100, null);
    const shipmentBatch = new Batch("shipment-batch", "RETRO-CLOCK", 100, tomorrow);
    const line = new OrderLine("oref", "RETRO-CLOCK", 10);

    allocate(line, [inStockBatch, shipmentBatch]);

    expect(inStockBatch.availableQuantity).toBe(90);
    expect(shipmentBatch.availableQuantity).toBe(100);
  });

  it("prefers earlier batches", () => {
    const earliest = new Batch("speedy-batch", "MINIMALIST-SPOON", 100, today);
    const medium = new Batch("normal-batch", "MINIMALIST-SPOON", 100, tomorrow);
    const latest = new Batch("slow-batch", "MINIMALIST-SPOON", 100, later);
    const line = new OrderLine("order1", "MINIMALIST-SPOON", 10);

    allocate(line, [medium, earliest, latest]);

    expect(earliest.availableQuantity).toBe(90);
    expect(medium.availableQuantity).toBe(100);
    expect(latest.availableQuantity).toBe(100);
  });

  it("returns the allocated batch's reference", () => {
    const inStockBatch = new Batch("in-stock-batch-ref", "HIGHBROW-POSTER", 100, null);
    const shipmentBatch = new Batch("shipment-batch-ref", "HIGHBROW-POSTER", 100, tomorrow);
    const line = new OrderLine("oref", "HIGHBROW-POSTER", 10);
    expect(allocate(line, [inStockBatch, shipmentBatch])).toBe(inStockBatch.reference);
  });

  it("raises an OutOfStock exception if it cannot allocate", () => {
    const batch = new Batch("batch1", "SMALL-FORK", 10, today);
    allocate(new OrderLine("order1", "SMALL-FORK", 10), [batch]);

    const error = catchError(() => allocate(new OrderLine("order2", "SMALL-FORK", 1), [batch]));

    expect(OutOfStock.is(error)).toBe(true);
    expect(error).toMatchObject({ sku: "SMALL-FORK", message: "Out of stock for sku SMALL-FORK" });
  });
});

describe("the allocate domain service, beyond the book", () => {
  it("falls back to the next preferred batch when the preferred one cannot take the line", () => {
    const warehouse = new Batch("warehouse", "LAMP", 5);
    const soon = new Batch("soon", "LAMP", 100, tomorrow);
    expect(allocate(new OrderLine("o1", "LAMP", 6), [soon, warehouse])).toBe("soon");
    expect(warehouse.availableQuantity).toBe(5);
  });

  it("keeps the input order between batches with the same eta", () => {
    const first = new Batch("first", "LAMP", 10, tomorrow);
    const second = new Batch("second", "LAMP", 10, new Date(tomorrow));
    expect(allocate(new OrderLine("o1", "LAMP", 1), [first, second])).toBe("first");
    expect(allocate(new OrderLine("o2", "LAMP", 1), [second, first])).toBe("second");
  });

  it("ignores batches of other skus", () => {
    const other = new Batch("other", "TABLE", 100);
    const mine = new Batch("mine", "LAMP", 10, later);
    expect(allocate(new OrderLine("o1", "LAMP", 1), [other, mine])).toBe("mine");
    expect(other.availableQuantity).toBe(100);
  });

  it("does not allocate a line twice: a repeat returns the batch that already holds it", () => {
    // The book's version puts the repeated line into a second batch.
    const warehouse = new Batch("warehouse", "LAMP", 10);
    const shipment = new Batch("shipment", "LAMP", 10, tomorrow);
    const line = new OrderLine("o1", "LAMP", 4);
    allocate(line, [shipment]);

    expect(allocate(line, [warehouse, shipment])).toBe("shipment");
    expect(warehouse.availableQuantity).toBe(10);
    expect(shipment.availableQuantity).toBe(6);
  });

  it("never sorts or changes the caller's collection", () => {
    const batches = [
      new Batch("late", "LAMP", 10, later),
      new Batch("early", "LAMP", 10, today),
    ] as const;
    const snapshot = [...batches];
    allocate(new OrderLine("o1", "LAMP", 1), batches);
    expect(batches).toEqual(snapshot);
  });

  it("accepts any iterable of batches, such as a Set or a generator", () => {
    const batch = new Batch("b1", "LAMP", 10);
    expect(allocate(new OrderLine("o1", "LAMP", 1), new Set([batch]))).toBe("b1");
    function* only() {
      yield batch;
    }
    expect(allocate(new OrderLine("o2", "LAMP", 1), only())).toBe("b1");
  });

  it("is out of stock when there are no batches at all", () => {
    expect(OutOfStock.is(catchError(() => allocate(new OrderLine("o1", "LAMP", 1), [])))).toBe(
      true,
    );
  });

  it("rejects input that is not a line and batches, and changes nothing", () => {
    const batch = new Batch("b1", "LAMP", 10);
    const line = new OrderLine("o1", "LAMP", 1);
    expect(catchError(() => allocate({} as OrderLine, [batch]))).toMatchObject({ field: "line" });
    expect(catchError(() => allocate(line, null as unknown as Batch[]))).toMatchObject({
      field: "batches",
    });
    const error = catchError(() => allocate(line, [batch, { reference: "fake" } as Batch]));
    expect(ValidationError.is(error)).toBe(true);
    expect(error).toMatchObject({ field: "batches[1]" });
    expect(batch.availableQuantity).toBe(10);
  });
});
