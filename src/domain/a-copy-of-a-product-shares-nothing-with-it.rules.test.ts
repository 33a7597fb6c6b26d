import { Batch, OrderLine, Product } from "cosmic-allocation";
import { describe, expect, it } from "vitest";

const SKU = "LAMP";

/** A product of `count` warehouse batches of 10, read once so that its index is built. */
function productOf(count: number): Product {
  const batches = Array.from(
    { length: count },
    (_, i) => new Batch(`batch-${String(i).padStart(2, "0")}`, SKU, 10, null),
  );
  const product = new Product(SKU, batches);
  expect(product.largestAvailableQuantity).toBe(10);
  return product;
}

// Products of few batches ask each batch who holds a line; from eight on, the
// index keeps a map of lines, which a copy shares until one side writes.
describe.each([2, 9])("a copy of a product of %i batches shares nothing with it", (count) => {
  it("a line allocated in the copy is not allocated in the original, nor its stock taken", () => {
    const original = productOf(count);
    const copy = original._clone();
    const line = new OrderLine("order-1", SKU, 10);
    expect(copy.allocate(line)).toBe("batch-00");
    expect(original.linesOf("order-1")).toEqual([]);
    expect(original.getBatch("batch-00")?.availableQuantity).toBe(10);
    expect(original.deallocate(line)).toBeNull();
    expect(original.largestAvailableQuantity).toBe(10);
    expect(original.allocate(line)).toBe("batch-00");
    expect(original.getBatch("batch-00")?.availableQuantity).toBe(0);
  });

  it("a line allocated in the original after the copy is not allocated in the copy", () => {
    const original = productOf(count);
    const copy = original._clone();
    const line = new OrderLine("order-2", SKU, 10);
    original.allocate(line);
    expect(copy.linesOf("order-2")).toEqual([]);
    expect(copy.deallocate(line)).toBeNull();
    expect(copy.allocate(line)).toBe("batch-00");
  });

  it("a line released in the copy stays allocated in the original", () => {
    const original = productOf(count);
    const line = new OrderLine("order-3", SKU, 4);
    original.allocate(line);
    const copy = original._clone();
    expect(copy.deallocate(line)).toBe("batch-00");
    expect(original.linesOf("order-3")).toHaveLength(1);
    expect(original.getBatch("batch-00")?.availableQuantity).toBe(6);
    // The original still knows who holds the line: allocating it again changes nothing.
    expect(original.allocate(line)).toBe("batch-00");
    expect(original.getBatch("batch-00")?.availableQuantity).toBe(6);
  });
});

describe("the largest available quantity is the stock as it is now", () => {
  it("counts a batch added after it was last read", () => {
    const product = productOf(2);
    product.addBatch(new Batch("big", SKU, 50, null));
    expect(product.largestAvailableQuantity).toBe(50);
  });

  it("is 0 when every batch is taken, whatever the number of batches", () => {
    for (const count of [1, 3, 5, 9]) {
      const product = productOf(count);
      for (let i = 0; i < count; i++) product.allocate(new OrderLine(`order-${i}`, SKU, 10));
      expect(product.largestAvailableQuantity).toBe(0);
    }
  });
});

describe("a product made of many batches knows who holds each line", () => {
  it("a line held by a batch given after the eighth is found: allocating it again changes nothing", () => {
    const held = new OrderLine("order-held", SKU, 3);
    const batches = Array.from(
      { length: 10 },
      (_, i) => new Batch(`batch-${String(i).padStart(2, "0")}`, SKU, 10, null),
    );
    batches[9]?.allocate(held);
    const product = new Product(SKU, batches);
    expect(product.allocate(held)).toBe("batch-09");
    expect(product.getBatch("batch-00")?.availableQuantity).toBe(10);
    expect(product.deallocate(held)).toBe("batch-09");
  });
});
