import { Batch, OrderLine } from "cosmic-allocation";
import { describe, expect, it } from "vitest";

// Lowering a batch's purchased quantity releases its newest lines, one at a
// time, and stops as soon as the rest fit: a line that still fits exactly stays.
describe("changePurchasedQuantity releases the newest lines only until the rest fit", () => {
  it("keeps the older lines when they fill the new quantity exactly", () => {
    const batch = new Batch("b1", "LAMP", 10);
    batch.allocate(new OrderLine("o1", "LAMP", 2));
    batch.allocate(new OrderLine("o2", "LAMP", 3));
    batch.allocate(new OrderLine("o3", "LAMP", 4));

    const released = batch.changePurchasedQuantity(5);

    expect(released.map((line) => line.orderid)).toEqual(["o3"]);
    expect(batch.allocations.map((line) => line.orderid)).toEqual(["o1", "o2"]);
    expect(batch.availableQuantity).toBe(0);
  });

  it("releases nothing when the allocated lines fill the new quantity exactly", () => {
    const batch = new Batch("b1", "LAMP", 10);
    batch.allocate(new OrderLine("o1", "LAMP", 4));
    expect(batch.changePurchasedQuantity(4)).toEqual([]);
    expect(batch.availableQuantity).toBe(0);
  });
});
