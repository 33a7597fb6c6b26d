import {
  Batch,
  DuplicateBatch,
  OrderLine,
  planAllocations,
  ValidationError,
} from "cosmic-allocation";
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

describe("planning whole orders (what-if by order)", () => {
  const lamps = () => new Batch("lamps", "LAMP", 5);
  const sofas = () => new Batch("sofas", "SOFA", 1);

  it("ships an order complete when every line fits, each line with its batch", () => {
    const lines = [new OrderLine("o1", "LAMP", 4), new OrderLine("o1", "SOFA", 1)];
    const plan = planAllocations(lines, [lamps(), sofas()], { byOrder: true });
    expect(plan.orders).toEqual([
      {
        orderid: "o1",
        complete: true,
        lines: [
          { line: lines[0], batchref: "lamps" },
          { line: lines[1], batchref: "sofas" },
        ],
      },
    ]);
    expect([...plan.remaining]).toEqual([
      ["lamps", 1],
      ["sofas", 0],
    ]);
  });

  it("allocates none of an order's lines when one of them cannot be allocated", () => {
    const lines = [new OrderLine("o1", "LAMP", 4), new OrderLine("o1", "SOFA", 2)];
    const plan = planAllocations(lines, [lamps(), sofas()], { byOrder: true });
    expect(plan.orders).toEqual([
      {
        orderid: "o1",
        complete: false,
        lines: [
          { line: lines[0], batchref: null },
          { line: lines[1], batchref: null },
        ],
      },
    ]);
    expect([...plan.remaining]).toEqual([
      ["lamps", 5],
      ["sofas", 1],
    ]);
  });

  it("leaves the stock an incomplete order would have taken for the orders after it", () => {
    const plan = planAllocations(
      [
        new OrderLine("o1", "LAMP", 4),
        new OrderLine("o1", "SOFA", 2),
        new OrderLine("o2", "LAMP", 5),
      ],
      [lamps(), sofas()],
      { byOrder: true },
    );
    expect(plan.orders.map((order) => [order.orderid, order.complete])).toEqual([
      ["o1", false],
      ["o2", true],
    ]);
    expect(plan.remaining.get("lamps")).toBe(0);
  });

  it("takes orders in the order of their first line, and keeps one result per line in input order", () => {
    const lines = [
      new OrderLine("o2", "LAMP", 3),
      new OrderLine("o1", "LAMP", 3),
      new OrderLine("o2", "SOFA", 1),
    ];
    const plan = planAllocations(lines, [lamps(), sofas()], { byOrder: true });
    // o2 comes first, so it gets the lamps and o1 is short of them.
    expect(plan.orders.map((order) => [order.orderid, order.complete])).toEqual([
      ["o2", true],
      ["o1", false],
    ]);
    expect(plan.results).toEqual([
      { line: lines[0], batchref: "lamps" },
      { line: lines[1], batchref: null },
      { line: lines[2], batchref: "sofas" },
    ]);
  });

  it("prefers warehouse stock, then the earliest shipment, for every line of an order", () => {
    const batches = [
      new Batch("ship", "LAMP", 10, tomorrow),
      new Batch("warehouse", "LAMP", 3),
      new Batch("later", "LAMP", 10, new Date("2027-01-15")),
    ];
    const plan = planAllocations(
      [new OrderLine("o1", "LAMP", 3), new OrderLine("o2", "LAMP", 2)],
      batches,
      { byOrder: true },
    );
    expect(plan.results.map((result) => result.batchref)).toEqual(["warehouse", "ship"]);
  });

  it("counts a line a batch already holds as placed, and leaves it held when its order is incomplete", () => {
    const held = new OrderLine("o1", "LAMP", 2);
    const batch = lamps();
    batch.allocate(held);
    const complete = planAllocations([held], [batch], { byOrder: true });
    expect(complete.orders[0]).toMatchObject({ complete: true, lines: [{ batchref: "lamps" }] });
    expect(complete.remaining.get("lamps")).toBe(3);

    const short = planAllocations([held, new OrderLine("o1", "SOFA", 1)], [batch], {
      byOrder: true,
    });
    expect(short.orders[0]).toMatchObject({ complete: false });
    expect(short.results.map((result) => result.batchref)).toEqual([null, null]);
    expect(short.remaining.get("lamps")).toBe(3);
  });

  it("plans line by line, with no orders in the result, without the option or with byOrder false", () => {
    const lines = [new OrderLine("o1", "LAMP", 4), new OrderLine("o1", "SOFA", 2)];
    const plain = planAllocations(lines, [lamps(), sofas()]);
    const explicit = planAllocations(lines, [lamps(), sofas()], { byOrder: false });
    expect(plain.results.map((result) => result.batchref)).toEqual(["lamps", null]);
    expect("orders" in plain).toBe(false);
    // @ts-expect-error: the type of a line-by-line plan has no orders either
    expect(plain.orders).toBeUndefined();
    const chosen = planAllocations(lines, [lamps(), sofas()], { byOrder: lines.length > 5 });
    // @ts-expect-error: with byOrder known only at run time, orders may be absent
    expect(chosen.orders).toBeUndefined();
    expect(explicit).toEqual(plain);
  });

  it("refuses options that are not an object with at most a boolean byOrder, before planning anything", () => {
    const batch = lamps();
    const plan = (options: unknown) =>
      catchError(() =>
        planAllocations([new OrderLine("o1", "LAMP", 1)], [batch], options as never),
      );
    expect(plan(null)).toMatchObject({ name: "ValidationError", field: "options" });
    expect(plan([])).toMatchObject({ name: "ValidationError", field: "options" });
    expect(plan({ byOrder: "yes" })).toMatchObject({
      name: "ValidationError",
      field: "options.byOrder",
    });
    expect(plan({ byorder: true })).toMatchObject({
      name: "ValidationError",
      field: "options.byorder",
    });
    expect(ValidationError.is(plan({ byOrder: 1 }))).toBe(true);
    expect(batch.availableQuantity).toBe(5);
  });
});
