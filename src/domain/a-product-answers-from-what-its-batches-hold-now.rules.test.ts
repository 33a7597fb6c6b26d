// A Product keeps an index over its batches and records what changes; these
// rules pin that what it answers always matches what its batches hold now.
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";
import { OutOfStock } from "../errors/out-of-stock";
import { ValidationError } from "../errors/validation-error";
import { Batch } from "./batch";
import { OrderLine } from "./order-line";
import { Product } from "./product";

const SKU = "LAMP";
const line = (orderid: string, qty: number) => new OrderLine(orderid, SKU, qty);

/** `count` warehouse batches of 10 each; from eight batches on, the index keeps a map of lines. */
function productOf(count: number): Product {
  return new Product(
    SKU,
    Array.from({ length: count }, (_, i) => new Batch(`b${i}`, SKU, 10, null)),
  );
}

describe.each([2, 9])("a product of %i batches answers from what its batches hold now", (count) => {
  it("a line a resize left without a batch is no longer held: allocating it again needs room", () => {
    const product = productOf(count);
    const first = line("first", 10);
    product.allocate(first);
    for (let i = 1; i < count; i++) product.allocate(line(`fill-${i}`, 10));
    const change = product.changeBatchQuantity("b0", 0);
    expect(change.unallocated).toEqual([first]);
    expect(product.canAllocate(first)).toBe(false);
    expect(catchError(() => product.allocate(first))).toBeInstanceOf(OutOfStock);
  });

  it("a line still held can be allocated again (it stays where it is), even with no room left", () => {
    const product = productOf(count);
    const held = line("held", 10);
    product.allocate(held);
    for (let i = 1; i < count; i++) product.allocate(line(`fill-${i}`, 10));
    expect(product.largestAvailableQuantity).toBe(0);
    expect(product.canAllocate(held)).toBe(true);
    expect(product.allocate(held)).toBe("b0");
  });
});

describe("what a tracked product records", () => {
  it("a line released by a resize is recorded as released", () => {
    const product = productOf(2);
    product.allocate(line("o1", 10));
    product._track();
    product.changeBatchQuantity("b0", 0);
    const changes = product._changes();
    expect(changes?.deallocated.map(({ line }) => line.orderid)).toContain("o1");
  });

  it("an untracked product has no changes to tell", () => {
    expect(productOf(2)._changes()).toBeUndefined();
  });

  it("events drained, the next event is numbered after them, not before", () => {
    const product = productOf(2);
    product.allocate(line("o1", 1));
    const [[firstOrder]] = product._takeEventsInOrder() as [[number, unknown]];
    product.allocate(line("o2", 1));
    const drained = product._takeEventsInOrder();
    expect(drained).toHaveLength(1);
    expect(drained[0]?.[0]).toBeGreaterThan(firstOrder);
    expect(drained[0]?.[1]).toMatchObject({ type: "Allocated" });
  });
});

describe("a product's batch views and checks", () => {
  it("a batch's view is the same object each time it is asked for", () => {
    const product = productOf(2);
    expect(product.getBatch("b0")).toBe(product.getBatch("b0"));
    expect(product.batches[1]).toBe(product.getBatch("b1"));
  });

  it("a released line whose batch the product does not know is skipped when catching up", () => {
    const product = productOf(2);
    expect(
      product._catchUp({
        versionNumber: 1,
        batches: [new Batch("b0", SKU, 10, null), new Batch("b1", SKU, 10, null)],
        released: [{ batchref: "gone", line: line("o1", 1) }],
        placed: [],
      }),
    ).toBe(true);
  });

  it("null and other values are not products; an order id must be text", () => {
    for (const value of [null, undefined, 0, "LAMP", {}]) expect(Product._is(value)).toBe(false);
    expect(catchError(() => productOf(1).linesOf(42 as unknown as string))).toMatchObject({
      field: "orderid",
    });
    expect(catchError(() => productOf(1).linesOf(42 as unknown as string))).toBeInstanceOf(
      ValidationError,
    );
  });
});
