import { Batch, DuplicateBatch, type Product } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import { type ProductModel, SKU } from "./model";

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
    this.apply(model, product);
    model.expectMatches(product);
  }

  private apply(model: ProductModel, product: Product): void {
    const batch = new Batch(
      this.reference,
      SKU,
      this.qty,
      this.eta === null ? null : new Date(this.eta),
    );
    if (model.batches.some((existing) => existing.reference === this.reference)) {
      expect(() => product.addBatch(batch)).toThrow(DuplicateBatch);
      return;
    }
    product.addBatch(batch);
    model.batches.push({ reference: this.reference, eta: this.eta, qty: this.qty, lines: [] });
    model.version += 1;
  }

  toString(): string {
    const eta = this.eta === null ? "warehouse" : new Date(this.eta).toISOString().slice(0, 10);
    return `addBatch(${this.reference}, ${this.qty}, ${eta})`;
  }
}
