import { InvalidSku } from "../errors/invalid-sku";
import { OutOfStock } from "../errors/out-of-stock";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { AllocateCommand } from "./commands";
import { readOrderLine } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/** The `services.allocate` use case; documented on {@link services}. @internal */
export async function allocate(
  command: AllocateCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<string> {
  const line = readOrderLine(requireServiceArguments(command, uow));
  return runInUnitOfWork(uow, options, async ({ products }) => {
    const product = await products.get(line.sku);
    if (product === undefined) throw new InvalidSku(line.sku);
    try {
      return { value: product.allocate(line), product };
    } catch (error) {
      if (OutOfStock.is(error)) return { error, product };
      throw error;
    }
  });
}
