import { Batch } from "../domain/batch";
import { Product } from "../domain/product";
import { DuplicateBatch } from "../errors/duplicate-batch";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import type { AddBatchCommand } from "./commands";
import { readBatchFields } from "./read-commands";
import { requireServiceArguments, runInUnitOfWork } from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";

/**
 * Adds a batch of stock, creating the sku's product on first use.
 *
 * @param command - `{ ref, sku, qty, eta }`; eta a Date, an ISO 8601 string, or null for warehouse stock
 * @param uow - opens a unit of work; called once per attempt
 * @param options - event publishing and retries
 * @throws {@link ValidationError} for a malformed command, before any unit of work opens
 * @throws {@link DuplicateBatch} when a batch with that reference exists, for any sku
 * @throws {@link ConcurrencyConflict} when every retry lost a race
 *
 * @example
 * ```ts
 * import { InMemoryStore, services } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow = () => store.unitOfWork();
 * await services.addBatch({ ref: "b1", sku: "CRUNCHY-ARMCHAIR", qty: 100, eta: null }, uow);
 * await services.addBatch({ ref: "b2", sku: "CRUNCHY-ARMCHAIR", qty: 50, eta: "2026-12-01" }, uow);
 * ```
 */
export async function addBatch(
  command: AddBatchCommand,
  uow: UnitOfWorkFactory,
  options: ServiceOptions = {},
): Promise<void> {
  const fields = readBatchFields(requireServiceArguments(command, uow, options));
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
