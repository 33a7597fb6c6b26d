import { Batch, OrderLine, Product } from "cosmic-allocation";
import { describe, expect, it } from "vitest";

// A product hands out read-only views of its batches: each reads the batch
// as it is at the time of reading, so a view taken before an allocation
// shows the allocation.
describe("a batch view reads its batch as it is now", () => {
  it("sku, quantities, allocations, and whether a line fits or is held", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10, null)]);
    const view = product.getBatch("b1");
    if (view === undefined) throw new Error("expected a view of b1");
    const line = new OrderLine("o1", "LAMP", 7);
    expect(view.canAllocate(line)).toBe(true);
    product.allocate(line);
    expect({
      reference: view.reference,
      sku: view.sku,
      eta: view.eta,
      purchasedQuantity: view.purchasedQuantity,
      allocatedQuantity: view.allocatedQuantity,
      availableQuantity: view.availableQuantity,
    }).toEqual({
      reference: "b1",
      sku: "LAMP",
      eta: null,
      purchasedQuantity: 10,
      allocatedQuantity: 7,
      availableQuantity: 3,
    });
    expect(view.allocations).toEqual([line]);
    expect(view.isAllocated(line)).toBe(true);
    expect(view.canAllocate(new OrderLine("o2", "LAMP", 3))).toBe(true);
    expect(view.canAllocate(new OrderLine("o2", "LAMP", 4))).toBe(false);
  });
});
