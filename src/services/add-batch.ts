import { Batch } from "../domain/batch";
import { Product } from "../domain/product";
import { DuplicateBatch } from "../errors/duplicate-batch";
import { type BatchFields, readBatchFields } from "./read-commands";
import type { UseCase } from "./use-case";

/**
 * Adds a batch, creating the product of its sku when it has none (the book's
 * `add_batch`).
 *
 * @internal
 */
export const addBatch: UseCase<BatchFields, void> = {
  read: readBatchFields,
  async run(fields, { products }) {
    if ((await products.getByBatchRef(fields.ref)) !== undefined) {
      throw new DuplicateBatch(fields.ref);
    }
    let product = await products.get(fields.sku);
    if (product === undefined) {
      product = new Product(fields.sku);
      await products.add(product);
    }
    const eta = fields.eta === null ? null : new Date(fields.eta);
    product.addBatch(new Batch(fields.ref, fields.sku, fields.qty, eta));
    return { value: undefined };
  },
};
