/**
 * Shared fast-check arbitraries for the allocation domain. They favour
 * collisions: few skus, few order ids, small quantities and a handful of etas,
 * so that ties, exact fits, repeats and shortages come up often.
 */

import { Batch, OrderLine } from "cosmic-allocation";
import fc from "fast-check";

export const skus: readonly string[] = ["LAMP", "TABLE", "CHAIR"];

/** A sku from a small set, so lines and batches often match. */
export const sku: fc.Arbitrary<string> = fc.constantFrom(...skus);

/** An order id from a small set, so equal lines come up. */
export const orderid: fc.Arbitrary<string> = fc.constantFrom("o1", "o2", "o3", "o4", "o5", "o6");

/** A small positive quantity. */
export const qty: fc.Arbitrary<number> = fc.integer({ min: 1, max: 12 });

/** An eta: null (in the warehouse) or one of a few days, so etas tie often. */
export const eta: fc.Arbitrary<Date | null> = fc.option(
  fc.integer({ min: 0, max: 4 }).map((day) => new Date(Date.UTC(2026, 0, 1 + day))),
  { nil: null, freq: 3 },
);

/** An order line of the given sku arbitrary. */
export function orderLine(skuOf: fc.Arbitrary<string> = sku): fc.Arbitrary<OrderLine> {
  return fc.tuple(orderid, skuOf, qty).map(([id, s, q]) => new OrderLine(id, s, q));
}

/** The arguments of a batch without allocations; a reference is given later, to keep them distinct. */
export interface BatchSpec {
  readonly sku: string;
  readonly qty: number;
  readonly eta: Date | null;
}

export function batchSpec(skuOf: fc.Arbitrary<string> = sku): fc.Arbitrary<BatchSpec> {
  return fc.record({ sku: skuOf, qty: fc.integer({ min: 0, max: 30 }), eta });
}

/** Fresh batches with distinct references ("b0", "b1", ...), built anew on each call of `build`. */
export function batches(
  skuOf: fc.Arbitrary<string> = sku,
  { maxLength = 6 }: { readonly maxLength?: number } = {},
): fc.Arbitrary<readonly BatchSpec[]> {
  return fc.array(batchSpec(skuOf), { maxLength });
}

export function buildBatches(specs: readonly BatchSpec[]): Batch[] {
  return specs.map((spec, index) => new Batch(`b${index}`, spec.sku, spec.qty, spec.eta));
}

/**
 * The preference order the library must follow, written the obvious way:
 * warehouse first, then earliest eta, ties in input order.
 */
export function preferenceOrder<T extends Batch>(list: readonly T[]): T[] {
  const rank = (batch: Batch): number => batch.eta?.getTime() ?? Number.NEGATIVE_INFINITY;
  return list
    .map((batch, index) => ({ batch, index }))
    .sort((a, b) => rank(a.batch) - rank(b.batch) || a.index - b.index)
    .map(({ batch }) => batch);
}

/**
 * Batches with some lines already allocated, in input order. The lines are
 * offered to batches picked by index; a batch that cannot take one skips it.
 */
export function stockedBatches(
  skuOf: fc.Arbitrary<string> = sku,
  { maxLength = 6 }: { readonly maxLength?: number } = {},
): fc.Arbitrary<{
  readonly specs: readonly BatchSpec[];
  readonly fill: readonly [number, OrderLine][];
}> {
  return fc.record({
    specs: batches(skuOf, { maxLength }),
    fill: fc.array(fc.tuple(fc.nat(), orderLine(skuOf)), { maxLength: 12 }),
  });
}

export function buildStockedBatches({
  specs,
  fill,
}: {
  readonly specs: readonly BatchSpec[];
  readonly fill: readonly [number, OrderLine][];
}): Batch[] {
  const built = buildBatches(specs);
  if (built.length === 0) return built;
  const holders = new Set<string>();
  for (const [pick, line] of fill) {
    const batch = built[pick % built.length] as Batch;
    const key = `${line.orderid}/${line.sku}/${line.qty}`;
    if (!holders.has(key) && batch.canAllocate(line)) {
      batch.allocate(line);
      holders.add(key);
    }
  }
  return built;
}
