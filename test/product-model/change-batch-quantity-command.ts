import { type Product, UnknownBatch } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import type { ProductModel } from "./model";

/**
 * Changes a batch's quantity: the newest lines leave until it fits, then each
 * goes, oldest first, to the first batch that can take it.
 */
export class ChangeBatchQuantityCommand implements fc.Command<ProductModel, Product> {
  constructor(
    readonly reference: string,
    readonly qty: number,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: ProductModel, product: Product): void {
    const batch = model.batch(this.reference);
    if (batch === undefined) {
      expect(() => product.changeBatchQuantity(this.reference, this.qty)).toThrow(UnknownBatch);
    } else {
      const expected = model.changeBatchQuantity(batch, this.qty);
      const change = product.changeBatchQuantity(this.reference, this.qty);
      expect(change.moved.map(({ line, batchref }) => [line.orderid, batchref])).toEqual(
        expected.moved,
      );
      expect(change.unallocated.map((line) => line.orderid)).toEqual(expected.unallocated);
    }
    model.expectMatches(product);
  }

  toString(): string {
    return `changeBatchQuantity(${this.reference}, ${this.qty})`;
  }
}
