import { OrderLine, type Product } from "cosmic-allocation";
import type fc from "fast-check";
import { expect } from "vitest";
import { type ProductModel, SKU } from "./model";

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
    this.apply(model, product);
    model.expectMatches(product);
  }

  private apply(model: ProductModel, product: Product): void {
    const line = new OrderLine(this.orderid, SKU, this.qty);
    const holder = model.holderOf(line);
    expect(product.deallocate(line)).toBe(holder?.reference ?? null);
    if (holder === undefined) return;
    holder.lines.splice(
      holder.lines.findIndex((held) => held.orderid === this.orderid && held.qty === this.qty),
      1,
    );
    model.version += 1;
  }

  toString(): string {
    return `deallocate(${this.orderid}, ${this.qty})`;
  }
}
