import type { AllocatedOrderLine } from "./allocate-order";
import { readOrderId } from "./read-commands";
import type { UseCase } from "./use-case";

/**
 * Releases every line of an order, in every product that holds one, in one
 * unit of work: a `Deallocated` event per line. The products are found
 * through the repository's order index, not by scanning; an unknown order
 * changes nothing.
 *
 * @internal
 */
export const deallocateOrder: UseCase<string, readonly AllocatedOrderLine[]> = {
  read: readOrderId,
  async run(orderid, { products }) {
    const released: AllocatedOrderLine[] = [];
    for (const product of await products.getByOrder(orderid)) {
      for (const { line, batchref } of product.linesOf(orderid)) {
        product.deallocate(line);
        released.push({ sku: line.sku, qty: line.qty, batchref });
      }
    }
    return { value: released };
  },
};
