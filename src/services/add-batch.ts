import { Batch } from "../domain/batch";
import { Product } from "../domain/product";
import { DuplicateBatch } from "../errors/duplicate-batch";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { AddBatchCommand } from "./commands";
import { readBatchFields } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/** The `services.addBatch` use case; documented on {@link services}. @internal */
export async function addBatch(
  command: AddBatchCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<void> {
  const fields = readBatchFields(requireServiceArguments(command, uow));
  const eta = (): Date | null => (fields.eta === null ? null : new Date(fields.eta));
  await runInUnitOfWork(uow, options, async ({ products }) => {
    if ((await products.getByBatchRef(fields.ref)) !== undefined) {
      throw new DuplicateBatch(fields.ref);
    }
    let product = await products.get(fields.sku);
    if (product === undefined) {
      product = new Product(fields.sku);
      await products.add(product);
    }
    product.addBatch(new Batch(fields.ref, fields.sku, fields.qty, eta()));
    return { value: undefined, product };
  });
}
