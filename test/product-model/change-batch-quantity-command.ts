import { type Product, UnknownBatch } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import type { ModelLine, ProductModel } from "./model";

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
    this.apply(model, product);
    model.expectMatches(product);
  }

  private apply(model: ProductModel, product: Product): void {
    const batch = model.batches.find((candidate) => candidate.reference === this.reference);
    if (batch === undefined) {
      expect(() => product.changeBatchQuantity(this.reference, this.qty)).toThrow(UnknownBatch);
      return;
    }
    const moved: [string, string][] = [];
    const unallocated: string[] = [];
    if (batch.qty !== this.qty) {
      batch.qty = this.qty;
      const released: ModelLine[] = [];
      while (model.available(batch) < 0) released.unshift(batch.lines.pop() as ModelLine);
      model.version += 1;
      for (const line of released) {
        const target = model.firstThatFits(line.qty);
        target?.lines.push(line);
        if (target === undefined) unallocated.push(line.orderid);
        else if (target !== batch) moved.push([line.orderid, target.reference]);
      }
    }
    const change = product.changeBatchQuantity(this.reference, this.qty);
    expect(change.moved.map(({ line, batchref }) => [line.orderid, batchref])).toEqual(moved);
    expect(change.unallocated.map((line) => line.orderid)).toEqual(unallocated);
  }

  toString(): string {
    return `changeBatchQuantity(${this.reference}, ${this.qty})`;
  }
}
