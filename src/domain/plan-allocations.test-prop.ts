import { allocate, Batch, OrderLine, OutOfStock, planAllocations } from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildBatches,
  buildStockedBatches,
  batches as freshBatches,
  orderLine,
  stockedBatches,
} from "../../test/arbitraries";

/** Allocates by the rule of `allocate`, or null when it is out of stock. */
function allocateOrNull(line: OrderLine, batches: readonly Batch[]): string | null {
  try {
    return allocate(line, batches);
  } catch (error) {
    if (OutOfStock.is(error)) return null;
    throw error;
  }
}

const lines = fc.array(orderLine(), { maxLength: 15 });

describe("planAllocations laws", () => {
  it("planAllocations equals allocating clones one by one, and leaves its input unchanged", () => {
    fc.assert(
      fc.property(stockedBatches(), lines, (stock, lines) => {
        const batches = buildStockedBatches(stock);
        const before = batches.map((batch) => batch.toJSON());

        const plan = planAllocations(lines, batches);

        const clones = before.map((json) => Batch.fromJSON(json));
        const expected = lines.map((line) => allocateOrNull(line, clones));
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

describe("planAllocations by order: laws", () => {
  it("an order is all or nothing: every line of a complete order has a batch, no line of an incomplete one has", () => {
    fc.assert(
      fc.property(stockedBatches(), lines, (stock, lines) => {
        const plan = planAllocations(lines, buildStockedBatches(stock), { byOrder: true });
        for (const order of plan.orders) {
          const placed = order.lines.map((result) => result.batchref !== null);
          expect(placed).toEqual(order.lines.map(() => order.complete));
          expect(order.lines.every((result) => result.line.orderid === order.orderid)).toBe(true);
        }
      }),
    );
  });

  it("results stay one per input line in input order, and each order lists its own lines of them", () => {
    fc.assert(
      fc.property(stockedBatches(), lines, (stock, lines) => {
        const plan = planAllocations(lines, buildStockedBatches(stock), { byOrder: true });
        expect(plan.results.map((result) => result.line)).toEqual(lines);
        expect(plan.orders.map((order) => order.orderid)).toEqual([
          ...new Set(lines.map((line) => line.orderid)),
        ]);
        for (const order of plan.orders) {
          expect(order.lines).toEqual(
            plan.results.filter((result) => result.line.orderid === order.orderid),
          );
        }
      }),
    );
  });

  it("byOrder with one line per order equals the line-by-line plan", () => {
    fc.assert(
      fc.property(stockedBatches(), lines, (stock, drawn) => {
        const lines = drawn.map(
          (line, index) => new OrderLine(`order-${index}`, line.sku, line.qty),
        );
        const byOrder = planAllocations(lines, buildStockedBatches(stock), { byOrder: true });
        const byLine = planAllocations(lines, buildStockedBatches(stock));
        expect(byOrder.results).toEqual(byLine.results);
        expect([...byOrder.remaining]).toEqual([...byLine.remaining]);
        expect(byOrder.orders.map((order) => order.complete)).toEqual(
          byLine.results.map((result) => result.batchref !== null),
        );
      }),
    );
  });

  it("remaining stock equals purchased minus what complete orders took", () => {
    fc.assert(
      fc.property(freshBatches(), lines, (specs, lines) => {
        const batches = buildBatches(specs);
        const plan = planAllocations(lines, batches, { byOrder: true });
        const took = new Map<string, number>();
        // A line repeated within an order is allocated once.
        const counted = new Set<string>();
        for (const order of plan.orders.filter((candidate) => candidate.complete)) {
          for (const { line, batchref } of order.lines) {
            const key = `${line.orderid}/${line.sku}/${line.qty}`;
            if (batchref === null || counted.has(key)) continue;
            counted.add(key);
            took.set(batchref, (took.get(batchref) ?? 0) + line.qty);
          }
        }
        expect([...plan.remaining]).toEqual(
          batches.map((batch) => [
            batch.reference,
            batch.purchasedQuantity - (took.get(batch.reference) ?? 0),
          ]),
        );
      }),
    );
  });

  it("the input batches are never changed", () => {
    fc.assert(
      fc.property(stockedBatches(), lines, fc.boolean(), (stock, lines, byOrder) => {
        const batches = buildStockedBatches(stock);
        const before = batches.map((batch) => batch.toJSON());
        planAllocations(lines, batches, { byOrder });
        expect(batches.map((batch) => batch.toJSON())).toEqual(before);
      }),
    );
  });

  it("byOrder equals allocating each order on a copy of the stock and keeping the copy only when every line fits", () => {
    fc.assert(
      fc.property(stockedBatches(), lines, (stock, lines) => {
        const batches = buildStockedBatches(stock);
        const plan = planAllocations(lines, batches, { byOrder: true });

        let kept = batches.map((batch) => Batch.fromJSON(batch.toJSON()));
        const expected = new Map<OrderLine, string | null>();
        for (const orderid of new Set(lines.map((line) => line.orderid))) {
          const own = lines.filter((line) => line.orderid === orderid);
          const copy = kept.map((batch) => Batch.fromJSON(batch.toJSON()));
          const refs = own.map((line) => allocateOrNull(line, copy));
          const complete = refs.every((ref) => ref !== null);
          if (complete) kept = copy;
          own.forEach((line, at) => {
            expected.set(line, complete ? (refs[at] ?? null) : null);
          });
        }
        expect(plan.results.map((result) => result.batchref)).toEqual(
          lines.map((line) => expected.get(line)),
        );
        expect([...plan.remaining]).toEqual(
          kept.map((batch) => [batch.reference, batch.availableQuantity]),
        );
      }),
    );
  });
});
