import { InvalidSku } from "../errors/invalid-sku";
import { OutOfStock } from "../errors/out-of-stock";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { AllocateCommand } from "./commands";
import { readOrderLine } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/**
 * Allocates an order line to the preferred batch of its sku: warehouse stock
 * first, then the earliest eta. Allocating a line again returns the batch that
 * already holds it.
 *
 * When nothing can take the line the unit of work still commits (nothing in
 * stock changed) so that the `OutOfStock` event is published, and then
 * {@link OutOfStock} is thrown.
 *
 * @param command - `{ orderid, sku, qty }`
 * @param uow - opens a unit of work; called once per attempt
 * @param options - event publishing and retries
 * @returns the reference of the batch that holds the line
 * @throws {@link InvalidSku} when no product exists for the sku ("Invalid sku X")
 * @throws {@link OutOfStock} when no batch can take the line
 * @throws {@link ValidationError} for a malformed command, before any unit of work opens
 * @throws {@link ConcurrencyConflict} when every retry lost a race
 *
 * @example
 * ```ts
 * import { InMemoryStore, services } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "batch1", sku: "COMPLICATED-LAMP", qty: 100, eta: null }, uow);
 * const batchref = await services.allocate({ orderid: "o1", sku: "COMPLICATED-LAMP", qty: 10 }, uow);
 * console.log(batchref); // "batch1"
 * ```
 */
export async function allocate(
  command: AllocateCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<string> {
  const line = readOrderLine(requireServiceArguments(command, uow, options));
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
