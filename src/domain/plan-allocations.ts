import { DuplicateBatch } from "../errors/duplicate-batch";
import { ValidationError } from "../errors/validation-error";
import { type Batch, requireBatch } from "./batch";
import { type OrderLine, requireOrderLine } from "./order-line";
import { StockIndex } from "./stock-index";
import { ensure, requireIterable, requireRecord } from "./validate";

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
 * What {@link planAllocations} with `{ byOrder: true }` would do with one
 * order: ship it complete, every line with its batch, or hold all of it back.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, planAllocations, type OrderPlan } from "cosmic-allocation";
 *
 * const lines = [new OrderLine("o1", "LAMP", 2), new OrderLine("o1", "SOFA", 1)];
 * const { orders } = planAllocations(lines, [new Batch("b1", "LAMP", 10)], { byOrder: true });
 * const held: OrderPlan[] = orders.filter((order) => !order.complete);
 * console.log(held.map((order) => order.orderid)); // ["o1"]
 * ```
 */
export interface OrderPlan {
  /** The order's id. */
  readonly orderid: string;
  /** True when every line of the order would be allocated; false when none would be. */
  readonly complete: boolean;
  /** The order's lines, in the order given, each with its batch (null for every line of an incomplete order). */
  readonly lines: readonly PlannedAllocation[];
}

/**
 * The outcome of {@link planAllocations} with `{ byOrder: true }`: the
 * line-by-line view of {@link AllocationPlan}, plus one entry per order.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, planAllocations, type OrderAllocationPlan } from "cosmic-allocation";
 *
 * const plan: OrderAllocationPlan = planAllocations(
 *   [new OrderLine("o1", "LAMP", 4), new OrderLine("o2", "LAMP", 3)],
 *   [new Batch("b1", "LAMP", 5)],
 *   { byOrder: true },
 * );
 * console.log(plan.orders.map((order) => [order.orderid, order.complete])); // [["o1", true], ["o2", false]]
 * ```
 */
export interface OrderAllocationPlan extends AllocationPlan {
  /** One entry per order, in the order of each order's first line. */
  readonly orders: readonly OrderPlan[];
}

/**
 * How {@link planAllocations} plans.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, planAllocations, type PlanOptions } from "cosmic-allocation";
 *
 * const options: PlanOptions = { byOrder: true };
 * const plan = planAllocations([new OrderLine("o1", "LAMP", 4)], [new Batch("b1", "LAMP", 10)], options);
 * console.log("orders" in plan); // true
 * ```
 */
export interface PlanOptions {
  /**
   * Plan whole orders, all or nothing: lines are grouped by `orderid`, the
   * orders are taken in the order of their first line, and an order any line
   * of which cannot be allocated takes no stock at all. Default false: line
   * by line.
   */
  readonly byOrder?: boolean;
}

/**
 * Works out, without changing anything, where each order line would go if the
 * lines were allocated one by one in order, by the rule of {@link allocate}:
 * the what-if view for a frontend. The given batches are left untouched.
 *
 * With `{ byOrder: true }` it plans whole orders instead: the lines are
 * grouped by `orderid`, the orders are allocated in the order of their first
 * line (each order's lines in the order given), and each order all or
 * nothing: if any line of an order cannot be allocated, none of its lines is
 * (each gets a null batchref) and the stock they would have taken stays for
 * the orders after it. The result then also lists `orders`, saying which
 * would ship complete. A line a batch already holds counts as placed, and is
 * left where it is whatever happens to its order.
 *
 * Costs O(b + a + n log b) for b batches holding a lines and n order lines,
 * with or without `byOrder`.
 *
 * @param lines - the order lines, in the order they would be allocated
 * @param batches - the batches, of any skus, with distinct references
 * @param options - `{ byOrder: true }` to plan whole orders, all or nothing
 * @returns each line's batch (or null: out of stock), what would remain per
 *   batch, and with `byOrder` each order's outcome
 * @throws {@link DuplicateBatch} when two batches share a reference
 * @throws {@link ValidationError} when a line is not an OrderLine, a batch is
 *   not a Batch, or the options are not an object with at most a boolean `byOrder`
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
  options?: PlanOptions & { readonly byOrder?: false },
): AllocationPlan;
/**
 * Works out, without changing anything, which orders would ship complete if
 * whole orders were allocated, all or nothing, in the order of their first
 * line (see the first signature for the rules).
 *
 * @param lines - the order lines, grouped into orders by `orderid`
 * @param batches - the batches, of any skus, with distinct references
 * @param options - `{ byOrder: true }`
 * @returns each line's batch (null for every line of an order held back),
 *   what would remain per batch, and each order's outcome
 * @throws {@link DuplicateBatch} when two batches share a reference
 * @throws {@link ValidationError} when a line, a batch or the options are not valid
 *
 * @example
 * Whole orders: o1 cannot get its sofa, so its lamps stay for o2.
 * ```ts
 * import { Batch, OrderLine, planAllocations } from "cosmic-allocation";
 *
 * const batches = [new Batch("lamps", "LAMP", 5), new Batch("sofas", "SOFA", 1)];
 * const plan = planAllocations(
 *   [new OrderLine("o1", "LAMP", 4), new OrderLine("o1", "SOFA", 2), new OrderLine("o2", "LAMP", 5)],
 *   batches,
 *   { byOrder: true },
 * );
 * console.log(plan.orders.map((order) => [order.orderid, order.complete])); // [["o1", false], ["o2", true]]
 * console.log(plan.results.map((result) => result.batchref)); // [null, null, "lamps"]
 * console.log(plan.remaining.get("lamps")); // 0
 * ```
 */
export function planAllocations(
  lines: Iterable<OrderLine>,
  batches: Iterable<Batch>,
  options: PlanOptions & { readonly byOrder: true },
): OrderAllocationPlan;
/**
 * Plans line by line or by order, as `options.byOrder` says at run time; the
 * result has `orders` exactly when it is true (test `"orders" in plan`).
 *
 * @param lines - the order lines
 * @param batches - the batches, of any skus, with distinct references
 * @param options - how to plan
 * @returns an {@link AllocationPlan}, or an {@link OrderAllocationPlan} by order
 * @throws {@link DuplicateBatch} when two batches share a reference
 * @throws {@link ValidationError} when a line, a batch or the options are not valid
 */
export function planAllocations(
  lines: Iterable<OrderLine>,
  batches: Iterable<Batch>,
  options?: PlanOptions,
): AllocationPlan | OrderAllocationPlan;
export function planAllocations(
  lines: Iterable<OrderLine>,
  batches: Iterable<Batch>,
  options?: PlanOptions,
): AllocationPlan | OrderAllocationPlan {
  const byOrder = readByOrder(options);
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
  const remainingOf = (): ReadonlyMap<string, number> =>
    new Map(clones.map((clone) => [clone.reference, clone.availableQuantity]));
  if (!byOrder) {
    const results = orderLines.map((line): PlannedAllocation => {
      const stock = indexes.get(line.sku);
      const held = stock?.holderOf(line);
      const batch = held ?? stock?.firstThatFits(line.qty);
      if (batch !== undefined && held === undefined) place(stock as StockIndex, batch, line);
      return { line, batchref: batch?.reference ?? null };
    });
    return { results, remaining: remainingOf() };
  }

  // Filled order by order, so out of input order: sized first to stay a dense array.
  const results = new Array<PlannedAllocation>(orderLines.length);
  const orders: OrderPlan[] = [];
  for (const positions of groupByOrder(orderLines).values()) {
    // What this order took, to give back should a later line of it not fit.
    const taken: [StockIndex, Batch, OrderLine][] = [];
    const placed: PlannedAllocation[] = [];
    for (const position of positions) {
      const line = orderLines[position] as OrderLine;
      const stock = indexes.get(line.sku);
      const held = stock?.holderOf(line);
      const batch = held ?? stock?.firstThatFits(line.qty);
      if (batch === undefined) break;
      if (held === undefined) {
        place(stock as StockIndex, batch, line);
        taken.push([stock as StockIndex, batch, line]);
      }
      placed.push({ line, batchref: batch.reference });
    }
    const complete = placed.length === positions.length;
    if (!complete) {
      for (const [stock, batch, line] of taken) {
        batch.deallocate(line);
        stock.deallocated(batch, line);
      }
    }
    const planned = complete
      ? placed
      : positions.map(
          (position): PlannedAllocation => ({
            line: orderLines[position] as OrderLine,
            batchref: null,
          }),
        );
    planned.forEach((result, at) => {
      results[positions[at] as number] = result;
    });
    const { orderid } = (planned[0] as PlannedAllocation).line;
    orders.push({ orderid, complete, lines: planned });
  }
  return { results, remaining: remainingOf(), orders };
}

// Allocates a line to a private clone and tells the clone's index.
function place(stock: StockIndex, batch: Batch, line: OrderLine): void {
  batch.allocate(line);
  stock.allocated(batch, line);
}

// Positions of each order's lines, orders in the order of their first line.
function groupByOrder(lines: readonly OrderLine[]): Map<string, number[]> {
  const orders = new Map<string, number[]>();
  lines.forEach((line, position) => {
    const positions = orders.get(line.orderid);
    if (positions === undefined) orders.set(line.orderid, [position]);
    else positions.push(position);
  });
  return orders;
}

// Unknown keys are refused: a misspelt `byorder` would otherwise plan line by line unnoticed.
function readByOrder(options: unknown): boolean {
  if (options === undefined) return false;
  const { byOrder = false, ...others } = requireRecord(options, "options");
  const [other] = Object.keys(others);
  if (other !== undefined) {
    throw new ValidationError(`options.${other}`, others[other], "no such option (only byOrder)");
  }
  return ensure(typeof byOrder === "boolean", byOrder, "options.byOrder", "a boolean");
}
