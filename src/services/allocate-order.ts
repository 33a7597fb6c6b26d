import type { Product } from "../domain/product";
import { OrderNotAllocated, type ShortLine } from "../errors/order-not-allocated";
import { OutOfStock } from "../errors/out-of-stock";
import { type OrderFields, readOrder } from "./read-commands";
import type { UseCase } from "./use-case";

/**
 * Where one line of an allocated order went.
 *
 * @example
 * ```ts
 * import type { AllocatedOrderLine } from "cosmic-allocation";
 *
 * const line: AllocatedOrderLine = { sku: "LAMP", qty: 2, batchref: "b1" };
 * ```
 */
export interface AllocatedOrderLine {
  /** The sku of the line. */
  readonly sku: string;
  /** Its quantity. */
  readonly qty: number;
  /** The batch that holds it. */
  readonly batchref: string;
}

/**
 * Allocates every line of an order, each by the usual rule, in one unit of
 * work, or none of them. Lines go to different products (one line per sku),
 * so each product's check is independent: every line is checked first, and
 * only when all fit is any allocated. Products are read in sku order, the one
 * order every unit of work takes them in.
 *
 * @internal
 */
export const allocateOrder: UseCase<OrderFields, readonly AllocatedOrderLine[]> = {
  read: readOrder,
  async run({ orderid, lines }, { products }) {
    const bySku = new Map<string, Product>();
    for (const sku of lines.map((line) => line.sku).sort()) {
      const product = await products.get(sku);
      if (product !== undefined) bySku.set(sku, product);
    }
    const short: ShortLine[] = [];
    const unknown: string[] = [];
    for (const line of lines) {
      const product = bySku.get(line.sku);
      if (product === undefined) unknown.push(line.sku);
      else if (!product.canAllocate(line)) {
        short.push({ sku: line.sku, qty: line.qty, available: product.largestAvailableQuantity });
      }
    }
    if (short.length > 0 || unknown.length > 0) {
      // Records each short line's OutOfStock event, and changes no stock.
      for (const { sku } of short) {
        const line = lines.find((candidate) => candidate.sku === sku);
        try {
          if (line !== undefined) bySku.get(sku)?.allocate(line);
        } catch (error) {
          if (!OutOfStock.is(error)) throw error;
        }
      }
      return { error: new OrderNotAllocated(orderid, short, unknown) };
    }
    return {
      value: lines.map((line) => ({
        sku: line.sku,
        qty: line.qty,
        batchref: (bySku.get(line.sku) as Product).allocate(line),
      })),
    };
  },
};
