import { allocate, Batch, OrderLine } from "cosmic-allocation";
import { describe, expect, it } from "vitest";

// The book's rule: warehouse stock first, then the batch that arrives
// soonest; among batches that arrive together, the first one listed.
describe("allocate prefers the earliest batch that can take the line", () => {
  it("picks the sooner of two shipments whatever their order", () => {
    const later = new Batch("later", "LAMP", 10, new Date("2026-12-20"));
    const sooner = new Batch("sooner", "LAMP", 10, new Date("2026-12-10"));
    expect(allocate(new OrderLine("o1", "LAMP", 1), [later, sooner])).toBe("sooner");
    expect(sooner.availableQuantity).toBe(9);
    expect(later.availableQuantity).toBe(10);
  });

  it("picks the first listed among batches arriving on the same day", () => {
    const first = new Batch("first", "LAMP", 10, new Date("2026-12-10"));
    const second = new Batch("second", "LAMP", 10, new Date("2026-12-10"));
    expect(allocate(new OrderLine("o1", "LAMP", 1), [first, second])).toBe("first");
  });

  it("passes over a sooner batch too small for the line", () => {
    const small = new Batch("small", "LAMP", 1, new Date("2026-12-01"));
    const big = new Batch("big", "LAMP", 10, new Date("2026-12-20"));
    expect(allocate(new OrderLine("o1", "LAMP", 5), [small, big])).toBe("big");
  });
});
