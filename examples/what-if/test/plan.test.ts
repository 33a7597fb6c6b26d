import { describe, expect, it } from "vitest";
import { type BatchRow, type LineRow, planView } from "../src/plan.js";

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
    expect(view).toEqual({ errors: [], lines: [], batches: [], rowsWithErrors: 0 });
  });
});
