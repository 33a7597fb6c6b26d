import { allocate, Batch, OutOfStock, planAllocations } from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildStockedBatches, orderLine, stockedBatches } from "../../test/arbitraries";

describe("planAllocations laws", () => {
  it("planAllocations equals allocating clones one by one, and leaves its input unchanged", () => {
    fc.assert(
      fc.property(stockedBatches(), fc.array(orderLine(), { maxLength: 15 }), (stock, lines) => {
        const batches = buildStockedBatches(stock);
        const before = batches.map((batch) => batch.toJSON());

        const plan = planAllocations(lines, batches);

        const clones = before.map((json) => Batch.fromJSON(json));
        const expected = lines.map((line) => {
          try {
            return allocate(line, clones);
          } catch (error) {
            if (OutOfStock.is(error)) return null;
            throw error;
          }
        });
        expect(plan.results.map((result) => result.batchref)).toEqual(expected);
        expect(plan.results.map((result) => result.line)).toEqual(lines);
        expect([...plan.remaining]).toEqual(
          clones.map((clone) => [clone.reference, clone.availableQuantity]),
        );
        expect(batches.map((batch) => batch.toJSON())).toEqual(before);
      }),
    );
  });
});
