import type { OrderLine } from "../domain/order-line";
import { InvalidSku } from "../errors/invalid-sku";
import { readOrderLine } from "./read-commands";
import type { UseCase } from "./use-case";

/**
 * Releases one order line: resolves to the batch that held it, or null.
 *
 * @internal
 */
export const deallocate: UseCase<OrderLine, string | null> = {
  read: readOrderLine,
  async run(line, { products }) {
    const product = await products.get(line.sku);
    if (product === undefined) throw new InvalidSku(line.sku);
    return { value: product.deallocate(line) };
  },
};
