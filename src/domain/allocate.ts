import { OutOfStock } from "../errors/out-of-stock";
import type { ValidationError } from "../errors/validation-error";
import { isPreferredOver, preferenceRank } from "./allocation-preference";
import { type Batch, requireBatch } from "./batch";
import { type OrderLine, requireOrderLine } from "./order-line";
import { requireIterable } from "./validate";

/**
 * Allocates an order line to the preferred batch that can take it: stock in
 * the warehouse first, then the batch with the earliest eta; batches that tie
 * keep their order in `batches`.
 *
 * If one of the batches already holds an equal line, that batch's reference is
 * returned and nothing changes, so a retried request never allocates twice.
 * The call reads `batches` once, never sorts it and never changes the
 * collection itself; only the chosen batch changes.
 *
 * @param line - the order line to allocate
 * @param batches - the candidate batches, of any skus
 * @returns the reference of the batch that holds the line
 * @throws {@link OutOfStock} when no batch of the line's sku has enough available
 * @throws {@link ValidationError} when `line` is not an OrderLine or a batch is not a Batch
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, allocate } from "cosmic-allocation";
 *
 * const inStock = new Batch("in-stock-batch", "RETRO-CLOCK", 100);
 * const shipment = new Batch("shipment-batch", "RETRO-CLOCK", 100, new Date("2026-12-01"));
 * const line = new OrderLine("oref", "RETRO-CLOCK", 10);
 *
 * console.log(allocate(line, [shipment, inStock])); // "in-stock-batch"
 * console.log(inStock.availableQuantity, shipment.availableQuantity); // 90 100
 * ```
 */
export function allocate(line: OrderLine, batches: Iterable<Batch>): string {
  requireOrderLine(line, "line");
  requireIterable(batches, "batches", "an iterable of Batch");
  let preferred: Batch | undefined;
  let preferredEta = Number.POSITIVE_INFINITY;
  let index = 0;
  for (const candidate of batches) {
    const batch = requireBatch(candidate, `batches[${index}]`);
    index += 1;
    if (batch.isAllocated(line)) return batch.reference;
    if (batch.canAllocate(line)) {
      const eta = preferenceRank(batch);
      if (preferred === undefined || isPreferredOver(eta, preferredEta)) {
        preferred = batch;
        preferredEta = eta;
      }
    }
  }
  if (preferred === undefined) throw new OutOfStock(line.sku);
  preferred.allocate(line);
  return preferred.reference;
}
