import { OrderLine, OutOfStock, type Product } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import { type ProductModel, SKU } from "./model";

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
    this.apply(model, product);
    model.expectMatches(product);
  }

  private apply(model: ProductModel, product: Product): void {
    const line = new OrderLine(this.orderid, SKU, this.qty);
    const holder = model.holderOf(line);
    if (holder !== undefined) {
      expect(product.allocate(line)).toBe(holder.reference);
      return;
    }
    const target = model.firstThatFits(this.qty);
    if (target === undefined) {
      expect(() => product.allocate(line)).toThrow(OutOfStock);
      return;
    }
    expect(product.allocate(line)).toBe(target.reference);
    target.lines.push({ orderid: this.orderid, qty: this.qty });
    model.version += 1;
  }

  toString(): string {
    return `allocate(${this.orderid}, ${this.qty})`;
  }
}
