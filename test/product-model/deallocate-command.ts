import { OrderLine, type Product } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import type { ProductModel } from "./model";

/** Deallocates a line: from the batch that holds it, or nothing when none does. */
export class DeallocateCommand implements fc.Command<ProductModel, Product> {
  constructor(
    readonly orderid: string,
    readonly qty: number,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: ProductModel, product: Product): void {
    const line = new OrderLine(this.orderid, model.sku, this.qty);
    const expected = model.deallocate({ orderid: this.orderid, qty: this.qty });
    expect(product.deallocate(line)).toBe(expected);
    model.expectMatches(product);
  }

  toString(): string {
    return `deallocate(${this.orderid}, ${this.qty})`;
  }
}
