import { DuplicateBatch } from "../errors/duplicate-batch";
import { type Batch, requireBatch } from "./batch";
import { type OrderLine, requireOrderLine } from "./order-line";
import { StockIndex } from "./stock-index";
import { requireIterable } from "./validate";

/**
 * Where {@link planAllocations} would put one order line.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, planAllocations, type PlannedAllocation } from "cosmic-allocation";
 *
 * const lines = [new OrderLine("o1", "LAMP", 4), new OrderLine("o2", "LAMP", 9)];
 * const { results } = planAllocations(lines, [new Batch("b1", "LAMP", 10)]);
 * const outOfStock: PlannedAllocation[] = results.filter((result) => result.batchref === null);
 * console.log(outOfStock.map((result) => result.line.orderid)); // ["o2"]
 * ```
 */
export interface PlannedAllocation {
  /** The order line. */
  readonly line: OrderLine;
  /** The reference of the batch it would go to, or null when it would be out of stock. */
  readonly batchref: string | null;
}

/**
 * The outcome of {@link planAllocations}.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, planAllocations, type AllocationPlan } from "cosmic-allocation";
 *
 * const plan: AllocationPlan = planAllocations([new OrderLine("o1", "LAMP", 4)], [new Batch("b1", "LAMP", 10)]);
 * console.log(plan.results.length, [...plan.remaining]); // 1 [["b1", 6]]
 * ```
 */
export interface AllocationPlan {
  /** One result per order line, in the order given. */
  readonly results: readonly PlannedAllocation[];
  /** What each batch would have available afterwards, by reference, in the order given. */
  readonly remaining: ReadonlyMap<string, number>;
}

/**
 * Works out, without changing anything, where each order line would go if the
 * lines were allocated one by one in order, by the rule of {@link allocate}:
 * the what-if view for a frontend. The given batches are left untouched.
 *
 * Costs O(b + a + n log b) for b batches holding a lines and n order lines.
 *
 * @param lines - the order lines, in the order they would be allocated
 * @param batches - the batches, of any skus, with distinct references
 * @returns each line's batch (or null: out of stock) and what would remain per batch
 * @throws {@link DuplicateBatch} when two batches share a reference
 * @throws {@link ValidationError} when a line is not an OrderLine or a batch is not a Batch
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, planAllocations } from "cosmic-allocation";
 *
 * const batches = [new Batch("warehouse", "LAMP", 5), new Batch("ship", "LAMP", 10, new Date("2026-12-01"))];
 * const plan = planAllocations(
 *   [new OrderLine("o1", "LAMP", 4), new OrderLine("o2", "LAMP", 4), new OrderLine("o3", "LAMP", 20)],
 *   batches,
 * );
 * console.log(plan.results.map((result) => result.batchref)); // ["warehouse", "ship", null]
 * console.log(plan.remaining.get("warehouse"), batches[0]?.availableQuantity); // 1 5
 * ```
 */
export function planAllocations(
  lines: Iterable<OrderLine>,
  batches: Iterable<Batch>,
): AllocationPlan {
  const orderLines = Array.from(
    requireIterable(lines, "lines", "an iterable of OrderLine"),
    (line, index) => requireOrderLine(line, `lines[${index}]`),
  );
  const clones: Batch[] = [];
  const indexes = new Map<string, StockIndex>();
  const references = new Set<string>();
  let index = 0;
  for (const candidate of requireIterable(batches, "batches", "an iterable of Batch")) {
    const batch = requireBatch(candidate, `batches[${index}]`);
    index += 1;
    if (references.has(batch.reference)) throw new DuplicateBatch(batch.reference);
    references.add(batch.reference);
    clones.push(batch._clone());
  }
  for (const clone of clones) {
    let stock = indexes.get(clone.sku);
    if (stock === undefined) {
      stock = new StockIndex();
      indexes.set(clone.sku, stock);
    }
    stock.add(clone);
  }
  const results = orderLines.map((line): PlannedAllocation => {
    const stock = indexes.get(line.sku);
    const batch = stock?.holderOf(line) ?? stock?.firstThatFits(line.qty);
    if (batch !== undefined && !batch.isAllocated(line)) {
      batch.allocate(line);
      stock?.allocated(batch, line);
    }
    return { line, batchref: batch?.reference ?? null };
  });
  const remaining = new Map(clones.map((clone) => [clone.reference, clone.availableQuantity]));
  return { results, remaining };
}
