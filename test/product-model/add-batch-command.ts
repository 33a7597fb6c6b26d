import { Batch, DuplicateBatch, type Product } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import type { ProductModel } from "./model";

/** Adds a batch; a reference the product already has must be refused. */
export class AddBatchCommand implements fc.Command<ProductModel, Product> {
  constructor(
    readonly reference: string,
    readonly qty: number,
    readonly eta: number | null,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: ProductModel, product: Product): void {
    const eta = this.eta === null ? null : new Date(this.eta);
    const batch = new Batch(this.reference, model.sku, this.qty, eta);
    if (model.addBatch(this.reference, this.qty, this.eta)) product.addBatch(batch);
    else expect(() => product.addBatch(batch)).toThrow(DuplicateBatch);
    model.expectMatches(product);
  }

  toString(): string {
    const eta = this.eta === null ? "warehouse" : new Date(this.eta).toISOString().slice(0, 10);
    return `addBatch(${this.reference}, ${this.qty}, ${eta})`;
  }
}
