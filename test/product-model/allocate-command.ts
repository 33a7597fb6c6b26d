import { OrderLine, OutOfStock, type Product } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import type { ProductModel } from "./model";

/** Allocates a line: a repeat returns its batch, a line nothing can take is out of stock. */
export class AllocateCommand implements fc.Command<ProductModel, Product> {
  constructor(
    readonly orderid: string,
    readonly qty: number,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: ProductModel, product: Product): void {
    const line = new OrderLine(this.orderid, model.sku, this.qty);
    const expected = model.allocate({ orderid: this.orderid, qty: this.qty });
    if (expected === "out of stock") expect(() => product.allocate(line)).toThrow(OutOfStock);
    else expect(product.allocate(line)).toBe(expected);
    model.expectMatches(product);
  }

  toString(): string {
    return `allocate(${this.orderid}, ${this.qty})`;
  }
}
