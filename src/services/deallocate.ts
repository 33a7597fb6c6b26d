import { InvalidSku } from "../errors/invalid-sku";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { DeallocateCommand } from "./commands";
import { readOrderLine } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/**
 * Releases an allocated order line from the batch that holds it.
 *
 * @param command - `{ orderid, sku, qty }`, equal to the line that was allocated
 * @param uow - opens a unit of work; called once per attempt
 * @param options - event publishing and retries
 * @returns the reference of the batch that held the line, or null if none did (nothing changes)
 * @throws {@link InvalidSku} when no product exists for the sku
 * @throws {@link ValidationError} for a malformed command, before any unit of work opens
 * @throws {@link ConcurrencyConflict} when every retry lost a race
 *
 * @example
 * ```ts
 * import { InMemoryStore, services } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10, eta: null }, uow);
 * await services.allocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow);
 * console.log(await services.deallocate({ orderid: "o1", sku: "LAMP", qty: 4 }, uow)); // "b1"
 * ```
 */
export async function deallocate(
  command: DeallocateCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<string | null> {
  const line = readOrderLine(requireServiceArguments(command, uow, options));
  return runInUnitOfWork(uow, options, async ({ products }) => {
    const product = await products.get(line.sku);
    if (product === undefined) throw new InvalidSku(line.sku);
    return { value: product.deallocate(line), product };
  });
}
