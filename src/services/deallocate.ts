import { InvalidSku } from "../errors/invalid-sku";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { DeallocateCommand } from "./commands";
import { readOrderLine } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/** The `services.deallocate` use case; documented on {@link services}. @internal */
export async function deallocate(
  command: DeallocateCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<string | null> {
  const line = readOrderLine(requireServiceArguments(command, uow));
  return runInUnitOfWork(uow, options, async ({ products }) => {
    const product = await products.get(line.sku);
    if (product === undefined) throw new InvalidSku(line.sku);
    return { value: product.deallocate(line), product };
  });
}
