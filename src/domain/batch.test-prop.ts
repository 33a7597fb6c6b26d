import { Batch, OrderLine } from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchSpec, orderLine } from "../../test/arbitraries";

const operations: fc.Arbitrary<BatchOperation[]> = fc.array(
  fc.oneof(
    orderLine().map((line) => ({ kind: "allocate" as const, line })),
    orderLine().map((line) => ({ kind: "deallocate" as const, line })),
    fc.integer({ min: 0, max: 40 }).map((qty) => ({ kind: "resize" as const, qty })),
  ),
  { maxLength: 30 },
);

type BatchOperation =
  | { readonly kind: "allocate"; readonly line: OrderLine }
  | { readonly kind: "deallocate"; readonly line: OrderLine }
  | { readonly kind: "resize"; readonly qty: number };

function apply(batch: Batch, operation: BatchOperation): void {
  try {
    if (operation.kind === "allocate") batch.allocate(operation.line);
    else if (operation.kind === "deallocate") batch.deallocate(operation.line);
    else batch.changePurchasedQuantity(operation.qty);
  } catch {
    // Refusals are part of the law: a refused operation must leave the invariants intact.
  }
}

describe("batch laws", () => {
  it("available plus allocated always equals purchased, and allocated is the sum of the lines", () => {
    fc.assert(
      fc.property(batchSpec(), operations, (spec, ops) => {
        const batch = new Batch("b1", spec.sku, spec.qty, spec.eta);
        for (const operation of ops) {
          apply(batch, operation);
          expect(batch.availableQuantity + batch.allocatedQuantity).toBe(batch.purchasedQuantity);
          expect(batch.allocatedQuantity).toBe(
            batch.allocations.reduce((sum, line) => sum + line.qty, 0),
          );
        }
      }),
    );
  });

  it("a batch never goes below zero available, whatever is allocated or resized", () => {
    fc.assert(
      fc.property(batchSpec(), operations, (spec, ops) => {
        const batch = new Batch("b1", spec.sku, spec.qty, spec.eta);
        for (const operation of ops) {
          apply(batch, operation);
          expect(batch.availableQuantity).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("allocating a line is idempotent: the second time changes nothing", () => {
    fc.assert(
      fc.property(batchSpec(), operations, orderLine(), (spec, ops, line) => {
        const batch = new Batch("b1", spec.sku, spec.qty, spec.eta);
        for (const operation of ops) apply(batch, operation);
        apply(batch, { kind: "allocate", line });
        const once = batch.toJSON();
        apply(batch, { kind: "allocate", line });
        expect(batch.toJSON()).toEqual(once);
      }),
    );
  });

  it("a refused allocation leaves the batch exactly as it was", () => {
    fc.assert(
      fc.property(batchSpec(), operations, orderLine(), (spec, ops, line) => {
        const batch = new Batch("b1", spec.sku, spec.qty, spec.eta);
        for (const operation of ops) apply(batch, operation);
        const before = batch.toJSON();
        try {
          batch.allocate(line);
        } catch {
          expect(batch.toJSON()).toEqual(before);
        }
      }),
    );
  });

  it("shrinking releases the newest lines first and only as many as needed", () => {
    fc.assert(
      fc.property(batchSpec(), operations, fc.integer({ min: 0, max: 40 }), (spec, ops, qty) => {
        const batch = new Batch("b1", spec.sku, spec.qty, spec.eta);
        for (const operation of ops) apply(batch, operation);
        const before = batch.allocations;
        const released = batch.changePurchasedQuantity(qty);
        const kept = batch.allocations;
        expect([...kept, ...[...released].reverse()]).toEqual(before);
        expect(batch.allocatedQuantity).toBeLessThanOrEqual(qty);
        if (released.length > 0) {
          const lastReleased = released.at(-1) as OrderLine;
          expect(batch.allocatedQuantity + lastReleased.qty).toBeGreaterThan(qty);
        }
      }),
    );
  });

  it("fromJSON(toJSON(batch)) equals the batch, field for field", () => {
    fc.assert(
      fc.property(batchSpec(), operations, (spec, ops) => {
        const batch = new Batch("b1", spec.sku, spec.qty, spec.eta);
        for (const operation of ops) apply(batch, operation);
        const copy = Batch.fromJSON(JSON.parse(JSON.stringify(batch)));
        expect(copy.equals(batch)).toBe(true);
        expect(copy.toJSON()).toEqual(batch.toJSON());
        expect(copy.eta?.getTime()).toBe(batch.eta?.getTime());
      }),
    );
  });
});

describe("order line laws", () => {
  it("fromJSON(toJSON(line)) equals the line", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (orderid, sku, qty) => {
          const line = new OrderLine(orderid, sku, qty);
          expect(OrderLine.fromJSON(JSON.parse(JSON.stringify(line))).equals(line)).toBe(true);
        },
      ),
    );
  });

  it("equal values make equal lines, and a batch holds them as one", () => {
    fc.assert(
      fc.property(orderLine(), (line) => {
        const twin = new OrderLine(line.orderid, line.sku, line.qty);
        const batch = new Batch("b1", line.sku, line.qty * 2);
        batch.allocate(line);
        expect(twin.equals(line)).toBe(true);
        expect(batch.isAllocated(twin)).toBe(true);
      }),
    );
  });
});
