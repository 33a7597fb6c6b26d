import { allocate, type Batch, OutOfStock } from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildStockedBatches,
  orderLine,
  preferenceOrder,
  stockedBatches,
} from "../../test/arbitraries";

function outcome(action: () => string): string {
  try {
    return action();
  } catch (error) {
    if (OutOfStock.is(error)) return "out of stock";
    throw error;
  }
}

describe("allocate laws", () => {
  it("the chosen batch is the first in preference order that can take the line, unless one already holds it", () => {
    fc.assert(
      fc.property(stockedBatches(), orderLine(), (stock, line) => {
        const batches = buildStockedBatches(stock);
        const holder = batches.find((batch) => batch.isAllocated(line));
        const expected =
          holder?.reference ??
          preferenceOrder(batches).find((batch) => batch.canAllocate(line))?.reference ??
          "out of stock";
        expect(outcome(() => allocate(line, batches))).toBe(expected);
      }),
    );
  });

  it("only the chosen batch changes, by exactly the line", () => {
    fc.assert(
      fc.property(stockedBatches(), orderLine(), (stock, line) => {
        const batches = buildStockedBatches(stock);
        const before = batches.map((batch) => batch.toJSON());
        const wasHeld = batches.some((batch) => batch.isAllocated(line));
        const chosen = outcome(() => allocate(line, batches));
        batches.forEach((batch, index) => {
          const old = before[index];
          if (batch.reference !== chosen || wasHeld) {
            expect(batch.toJSON()).toEqual(old);
          } else {
            expect(batch.availableQuantity).toBe(
              (old?.qty ?? 0) - sum(old?.allocations) - line.qty,
            );
            expect(batch.isAllocated(line)).toBe(true);
          }
        });
      }),
    );
  });

  it("allocate is idempotent per line: allocating again returns the same batch and changes nothing", () => {
    fc.assert(
      fc.property(stockedBatches(), orderLine(), (stock, line) => {
        const batches = buildStockedBatches(stock);
        const first = outcome(() => allocate(line, batches));
        const after = batches.map((batch) => batch.toJSON());
        expect(outcome(() => allocate(line, [...batches].reverse()))).toBe(first);
        expect(batches.map((batch) => batch.toJSON())).toEqual(after);
      }),
    );
  });

  it("never reorders or changes the caller's collection", () => {
    fc.assert(
      fc.property(stockedBatches(), orderLine(), (stock, line) => {
        const batches: readonly Batch[] = buildStockedBatches(stock);
        const order = [...batches];
        outcome(() => allocate(line, batches));
        expect(batches).toEqual(order);
      }),
    );
  });
});

function sum(lines: readonly { readonly qty: number }[] | undefined): number {
  return (lines ?? []).reduce((total, line) => total + line.qty, 0);
}
