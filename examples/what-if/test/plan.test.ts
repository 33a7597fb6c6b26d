import { describe, expect, it } from "vitest";
import {
  type BatchRow,
  type LineRow,
  MAX_DELAY_DAYS,
  planView,
  quantityMessage,
  type ScenarioRow,
} from "../src/plan.js";

let id = 0;
const batch = (
  reference: string,
  sku: string,
  qty: string,
  eta: string | null = null,
): BatchRow => ({
  id: `b${++id}`,
  reference,
  sku,
  qty,
  arrival: eta === null ? "warehouse" : "shipment",
  eta: eta ?? "",
});
const line = (orderid: string, sku: string, qty: string): LineRow => ({
  id: `l${++id}`,
  orderid,
  sku,
  qty,
});

describe("the what-if plan of the page", () => {
  it("takes warehouse stock first, then the earliest shipment, and reports what remains", () => {
    const view = planView(
      [
        batch("late", "LAMP", "10", "2027-01-15"),
        batch("early", "LAMP", "10", "2026-12-01"),
        batch("warehouse", "LAMP", "5"),
      ],
      [line("o1", "LAMP", "4"), line("o2", "LAMP", "4"), line("o3", "LAMP", "1")],
    );
    expect(view.errors).toEqual([]);
    expect(view.lines.map((planned) => planned.batchref)).toEqual([
      "warehouse",
      "early",
      "warehouse",
    ]);
    expect(view.orders.map(({ orderid, complete }) => [orderid, complete])).toEqual([
      ["o1", true],
      ["o2", true],
      ["o3", true],
    ]);
    expect(
      view.batches.map(({ reference, planned, remaining, eta }) => [
        reference,
        planned,
        remaining,
        eta,
      ]),
    ).toEqual([
      ["late", 0, 10, "2027-01-15"],
      ["early", 4, 6, "2026-12-01"],
      ["warehouse", 5, 0, null],
    ]);
  });

  it("tells a line that is out of stock from one whose sku has no batch at all", () => {
    const view = planView(
      [batch("b1", "LAMP", "3")],
      [line("o1", "LAMP", "5"), line("o2", "SOFA", "1")],
    );
    expect(view.lines.map(({ batchref, reason }) => [batchref, reason])).toEqual([
      [null, "out-of-stock"],
      [null, "no-batch-for-sku"],
    ]);
  });

  it("reports a bad field of a row next to that field, using the library's ValidationError.field, and leaves the row out", () => {
    const rows = [
      batch("b1", "LAMP", "10"),
      batch("b2", "LAMP", "-1"),
      batch("b3", "LAMP", "5", ""),
    ];
    const lines = [
      line("o1", "LAMP", "2.5"),
      line("", "LAMP", "1"),
      line("o3", "LAMP", "0"),
      line("o4", "LAMP", ""),
    ];
    const view = planView(rows, lines);
    expect(view.errors.map(({ row, field, message }) => [row, field, message])).toEqual([
      [rows[1]?.id, "qty", "Enter a whole number, 0 or more"],
      [rows[2]?.id, "eta", "Enter the date the shipment arrives"],
      [lines[0]?.id, "qty", "Enter a whole number, 1 or more"],
      [lines[1]?.id, "orderid", "Enter an order ID"],
      [lines[2]?.id, "qty", "Enter a whole number, 1 or more"],
      [lines[3]?.id, "qty", "Enter a whole number, 1 or more"],
    ]);
    expect(view.rowsWithErrors).toBe(6);
    expect(view.batches.map((planned) => planned.reference)).toEqual(["b1"]);
    expect(view.lines).toEqual([]);
  });

  it("refuses a second batch with the same reference", () => {
    const rows = [batch("b1", "LAMP", "10"), batch("b1", "SOFA", "5")];
    const view = planView(rows, []);
    expect(view.errors).toEqual([
      { row: rows[1]?.id, field: "reference", message: "Another batch has this reference" },
    ]);
  });

  it("ignores rows left blank", () => {
    const view = planView([batch("", "", "")], [line(" ", "", "")]);
    expect(view).toEqual({
      errors: [],
      lines: [],
      orders: [],
      batches: [],
      rowsWithErrors: 0,
      scenario: null,
    });
  });

  it("says a quantity is too large, with the maximum, rather than asking for a whole number", () => {
    const rows = [
      batch("b1", "LAMP", "99999999999999999999"),
      batch("b2", "LAMP", "9007199254740992"),
    ];
    const lines = [line("o1", "LAMP", "1e300")];
    const view = planView([...rows, batch("b3", "LAMP", "9007199254740991")], lines);
    expect(view.errors.map(({ field, message }) => [field, message])).toEqual([
      ["qty", "Too large: the most is 9,007,199,254,740,991"],
      ["qty", "Too large: the most is 9,007,199,254,740,991"],
      ["qty", "Too large: the most is 9,007,199,254,740,991"],
    ]);
    expect(view.batches.map((planned) => planned.purchased)).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(quantityMessage("-1", 0)).toBe("Enter a whole number, 0 or more");
    expect(quantityMessage("", 1)).toBe("Enter a whole number, 1 or more");
  });
});

describe("the page's orders: all or nothing", () => {
  const stock = () => [batch("lamps", "LAMP", "5"), batch("sofas", "SOFA", "1")];

  it("holds back every line of an order that cannot get one of them, and keeps its stock for later orders", () => {
    const lines = [line("o1", "LAMP", "4"), line("o1", "SOFA", "2"), line("o2", "LAMP", "5")];
    const view = planView(stock(), lines);
    expect(
      view.orders.map((order) => [
        order.orderid,
        order.complete,
        order.lines.map((planned) => [planned.row, planned.batchref]),
      ]),
    ).toEqual([
      [
        "o1",
        false,
        [
          [lines[0]?.id, null],
          [lines[1]?.id, null],
        ],
      ],
      ["o2", true, [[lines[2]?.id, "lamps"]]],
    ]);
    expect(view.batches.map(({ planned, remaining }) => [planned, remaining])).toEqual([
      [5, 0],
      [0, 1],
    ]);
  });

  it("tells the line of a held-back order that is short of stock from the lines that wait with it", () => {
    const lines = [
      line("o1", "LAMP", "5"),
      line("o2", "LAMP", "1"),
      line("o2", "SOFA", "1"),
      line("o2", "CHAIR", "1"),
    ];
    const view = planView(stock(), lines);
    // o1 took every lamp, so o2's lamp is short; its sofa would fit; no batch holds chairs.
    expect(view.orders[1]?.lines.map(({ sku, reason }) => [sku, reason])).toEqual([
      ["LAMP", "out-of-stock"],
      ["SOFA", "waits-for-order"],
      ["CHAIR", "no-batch-for-sku"],
    ]);
  });

  it("leaves out an order's line with a bad field, and plans the rest of that order", () => {
    const lines = [line("o1", "LAMP", "4"), line("o1", "SOFA", "x")];
    const view = planView(stock(), lines);
    expect(view.orders).toEqual([
      expect.objectContaining({
        orderid: "o1",
        complete: true,
        lines: [expect.objectContaining({ batchref: "lamps" })],
      }),
    ]);
    expect(view.rowsWithErrors).toBe(1);
  });
});

describe("a scenario on a batch", () => {
  const stock = () => [
    batch("december", "CHAIR", "10", "2026-12-01"),
    batch("january", "CHAIR", "20", "2027-01-15"),
    batch("lamps", "LAMP", "3"),
  ];
  const lines = () => [
    line("o1", "CHAIR", "8"),
    line("o1", "LAMP", "2"),
    line("o2", "CHAIR", "10"),
    line("o3", "LAMP", "1"),
  ];
  const scenario = (batch: string, change: ScenarioRow["change"], amount = ""): ScenarioRow => ({
    batch,
    change,
    amount,
  });

  it("is absent when no batch is chosen", () => {
    expect(planView(stock(), lines(), scenario("", "delay", "3")).scenario).toBeNull();
    expect(planView(stock(), lines()).scenario).toBeNull();
  });

  it("delaying a shipment past another sends the orders it served to the other one", () => {
    const view = planView(stock(), lines(), scenario("december", "delay", "60"));
    expect(view.scenario).toMatchObject({
      ok: true,
      summary: "december arrives 60 days later, on 2027-01-30",
    });
    if (view.scenario?.ok !== true) throw new Error("expected a plan under the scenario");
    expect(view.scenario.orders.map(({ orderid, change }) => [orderid, change])).toEqual([
      ["o1", "other-batches"],
      ["o2", "unchanged"],
      ["o3", "unchanged"],
    ]);
    expect(view.scenario.orders[0]?.after.lines.map((planned) => planned.batchref)).toEqual([
      "january",
      "lamps",
    ]);
    expect([...view.scenario.remaining]).toEqual([
      ["december", 10],
      ["january", 2],
      ["lamps", 0],
    ]);
    // The plan before the scenario is left as it was.
    expect(view.orders[0]?.lines.map((planned) => planned.batchref)).toEqual(["december", "lamps"]);
  });

  it("shrinking a batch holds back the orders it can no longer serve, and an order after them may ship instead", () => {
    const view = planView(stock(), lines(), scenario("lamps", "quantity", "1"));
    if (view.scenario?.ok !== true) throw new Error("expected a plan under the scenario");
    expect(view.scenario.orders.map(({ orderid, change }) => [orderid, change])).toEqual([
      ["o1", "held-back"],
      ["o2", "other-batches"],
      ["o3", "unchanged"],
    ]);
    expect(view.scenario.summary).toBe("lamps holds 1 instead of 3");
  });

  it("removing a batch marks it removed and replans without it", () => {
    const view = planView(stock(), lines(), scenario("december", "remove"));
    if (view.scenario?.ok !== true) throw new Error("expected a plan under the scenario");
    expect(view.scenario.summary).toBe("Without december");
    expect(view.scenario.remaining.get("december")).toBeNull();
    expect(view.scenario.orders.map(({ change }) => change)).toEqual([
      "other-batches",
      "unchanged",
      "unchanged",
    ]);
  });

  it("refuses what cannot be applied, saying which control is wrong and why", () => {
    const refused = (row: ScenarioRow) => planView(stock(), lines(), row).scenario;
    expect(refused(scenario("lamps", "delay", "3"))).toEqual({
      ok: false,
      field: "batch",
      message: "lamps is in the warehouse: it has no arrival to delay",
    });
    expect(refused(scenario("gone", "remove"))).toEqual({
      ok: false,
      field: "batch",
      message: "No valid batch gone in the form",
    });
    expect(refused(scenario("december", "delay", "0"))).toMatchObject({
      field: "amount",
      message: "Enter a whole number of days, 1 or more",
    });
    expect(refused(scenario("december", "delay", String(MAX_DELAY_DAYS + 1)))).toMatchObject({
      field: "amount",
      message: "Too many days: the most is 36,500",
    });
    expect(refused(scenario("december", "quantity", "99999999999999999999"))).toMatchObject({
      field: "amount",
      message: "Too large: the most is 9,007,199,254,740,991",
    });
    expect(refused(scenario("december", "quantity", "-2"))).toMatchObject({
      field: "amount",
      message: "Enter a whole number, 0 or more",
    });
  });
});
