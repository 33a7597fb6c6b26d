import { Batch, OrderLine, Product, SkuMismatch } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

// A product holds the stock of one sku: a line for another sku is a mistake
// of the caller (SkuMismatch), not a shortage (OutOfStock), and changes nothing.
describe("a product takes only lines of its own sku", () => {
  it("allocate of a line for another sku throws SkuMismatch and changes nothing", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    const error = catchError(() => product.allocate(new OrderLine("o1", "RUG", 1)));
    expect(SkuMismatch.is(error)).toBe(true);
    expect(product.versionNumber).toBe(0);
    expect(product.events).toEqual([]);
  });

  it("deallocate of a line for another sku throws SkuMismatch", () => {
    const product = new Product("LAMP", [new Batch("b1", "LAMP", 10)]);
    expect(
      SkuMismatch.is(catchError(() => product.deallocate(new OrderLine("o1", "RUG", 1)))),
    ).toBe(true);
  });
});
