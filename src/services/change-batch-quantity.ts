import type { BatchQuantityChange } from "../domain/product";
import { UnknownBatch } from "../errors/unknown-batch";
import { readQuantityChange } from "./read-commands";
import type { UseCase } from "./use-case";

/**
 * Changes a batch's purchased quantity, re-allocating within the product
 * what it can no longer hold.
 *
 * @internal
 */
export const changeBatchQuantity: UseCase<
  { readonly ref: string; readonly qty: number },
  BatchQuantityChange
> = {
  read: readQuantityChange,
  async run({ ref, qty }, { products }) {
    const product = await products.getByBatchRef(ref);
    if (product === undefined) throw new UnknownBatch(ref);
    return { value: product.changeBatchQuantity(ref, qty) };
  },
};
