import { Batch, DuplicateBatch, OrderLine, planAllocations } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

const tomorrow = new Date("2026-11-25");

describe("planning allocations (what-if)", () => {
  it("shows where each line would go, in order, and what would remain per batch", () => {
    const batches = [
      new Batch("ship", "LAMP", 10, tomorrow),
      new Batch("warehouse", "LAMP", 5),
      new Batch("tables", "TABLE", 1),
    ];
    const lines = [
      new OrderLine("o1", "LAMP", 4),
      new OrderLine("o2", "LAMP", 4),
      new OrderLine("o3", "TABLE", 2),
      new OrderLine("o4", "CHAIR", 1),
    ];

    const plan = planAllocations(lines, batches);

    expect(plan.results).toEqual([
      { line: lines[0], batchref: "warehouse" },
      { line: lines[1], batchref: "ship" },
      { line: lines[2], batchref: null },
      { line: lines[3], batchref: null },
    ]);
    expect([...plan.remaining]).toEqual([
      ["ship", 6],
      ["warehouse", 1],
      ["tables", 1],
    ]);
  });

  it("leaves the given batches untouched", () => {
    const batch = new Batch("b1", "LAMP", 10);
    const before = batch.toJSON();
    planAllocations([new OrderLine("o1", "LAMP", 4)], [batch]);
    expect(batch.toJSON()).toEqual(before);
  });

  it("counts a repeated line once, and a line a batch already holds as placed there", () => {
    const held = new OrderLine("o1", "LAMP", 4);
    const ship = new Batch("ship", "LAMP", 10, tomorrow);
    ship.allocate(held);
    const warehouse = new Batch("warehouse", "LAMP", 10);
    const repeat = new OrderLine("o2", "LAMP", 3);
    const plan = planAllocations([held, repeat, repeat], [warehouse, ship]);
    expect(plan.results.map((result) => result.batchref)).toEqual([
      "ship",
      "warehouse",
      "warehouse",
    ]);
    expect(plan.remaining.get("warehouse")).toBe(7);
    expect(plan.remaining.get("ship")).toBe(6);
  });

  it("places a line held by two batches with the first of them, as allocate does", () => {
    const line = new OrderLine("o1", "LAMP", 1);
    const [first, second] = [new Batch("first", "LAMP", 5), new Batch("second", "LAMP", 5)];
    second.allocate(line);
    first.allocate(line);
    expect(planAllocations([line], [second, first]).results[0]?.batchref).toBe("second");
  });

  it("rejects two batches with one reference, even of different skus", () => {
    const error = catchError(() =>
      planAllocations([], [new Batch("b1", "LAMP", 1), new Batch("b1", "TABLE", 1)]),
    );
    expect(DuplicateBatch.is(error)).toBe(true);
  });

  it("rejects lines and batches of the wrong types", () => {
    expect(catchError(() => planAllocations([{}] as never, []))).toMatchObject({
      field: "lines[0]",
    });
    expect(catchError(() => planAllocations(5 as never, []))).toMatchObject({ field: "lines" });
    expect(catchError(() => planAllocations([], [null] as never))).toMatchObject({
      field: "batches[0]",
    });
  });
});
