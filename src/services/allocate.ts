import type { OrderLine } from "../domain/order-line";
import { InvalidSku } from "../errors/invalid-sku";
import { OutOfStock } from "../errors/out-of-stock";
import { readOrderLine } from "./read-commands";
import type { UseCase } from "./use-case";

/**
 * Allocates one order line within its product (the book's `allocate`):
 * resolves to the batch reference; an `OutOfStock` is thrown after the
 * commit that stores its event.
 *
 * @internal
 */
export const allocate: UseCase<OrderLine, string> = {
  read: readOrderLine,
  async run(line, { products }) {
    const product = await products.get(line.sku);
    if (product === undefined) throw new InvalidSku(line.sku);
    try {
      return { value: product.allocate(line) };
    } catch (error) {
      if (OutOfStock.is(error)) return { error };
      throw error;
    }
  },
};
