import type { BatchQuantityChange } from "../domain/product";
import { UnknownBatch } from "../errors/unknown-batch";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { ChangeBatchQuantityCommand } from "./commands";
import { readQuantityChange } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/**
 * Sets a batch's purchased quantity. Lines the batch can no longer hold are
 * released, newest first, and allocated again within the product (the book's
 * chapter 9 use case, in one transaction).
 *
 * @param command - `{ ref, qty }`
 * @param uow - opens a unit of work; called once per attempt
 * @param options - event publishing and retries
 * @returns which lines moved to which batch, and which no batch could take
 * @throws {@link UnknownBatch} when no product has a batch with that reference
 * @throws {@link ValidationError} for a malformed command, before any unit of work opens
 * @throws {@link ConcurrencyConflict} when every retry lost a race
 *
 * @example
 * ```ts
 * import { InMemoryStore, services } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "warehouse", sku: "LAMP", qty: 10, eta: null }, uow);
 * await services.addBatch({ ref: "ship", sku: "LAMP", qty: 10, eta: "2026-12-01" }, uow);
 * await services.allocate({ orderid: "o1", sku: "LAMP", qty: 6 }, uow);
 * const change = await services.changeBatchQuantity({ ref: "warehouse", qty: 5 }, uow);
 * console.log(change.moved.map(({ line, batchref }) => [line.orderid, batchref])); // [["o1", "ship"]]
 * ```
 */
export async function changeBatchQuantity(
  command: ChangeBatchQuantityCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<BatchQuantityChange> {
  const { ref, qty } = readQuantityChange(requireServiceArguments(command, uow, options));
  return runInUnitOfWork(uow, options, async ({ products }) => {
    const product = await products.getByBatchRef(ref);
    if (product === undefined) throw new UnknownBatch(ref);
    return { value: product.changeBatchQuantity(ref, qty), product };
  });
}
