import type { BatchQuantityChange } from "../domain/product";
import { UnknownBatch } from "../errors/unknown-batch";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { ChangeBatchQuantityCommand } from "./commands";
import { readQuantityChange } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/** The `services.changeBatchQuantity` use case; documented on {@link services}. @internal */
export async function changeBatchQuantity(
  command: ChangeBatchQuantityCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<BatchQuantityChange> {
  const { ref, qty } = readQuantityChange(requireServiceArguments(command, uow));
  return runInUnitOfWork(uow, options, async ({ products }) => {
    const product = await products.getByBatchRef(ref);
    if (product === undefined) throw new UnknownBatch(ref);
    return { value: product.changeBatchQuantity(ref, qty), product };
  });
}
