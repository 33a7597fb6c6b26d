import {
  Batch,
  DuplicateBatch,
  OrderLine,
  type OrderPlan,
  type PlannedAllocation,
  planAllocations,
  ValidationError,
} from "cosmic-allocation";

/** A batch as typed into the form: every value still text. */
export interface BatchRow {
  readonly id: string;
  readonly reference: string;
  readonly sku: string;
  readonly qty: string;
  readonly arrival: "warehouse" | "shipment";
  /** A date as an `<input type="date">` gives it (2026-12-01), or "". */
  readonly eta: string;
}

/** An order line as typed into the form. */
export interface LineRow {
  readonly id: string;
  readonly orderid: string;
  readonly sku: string;
  readonly qty: string;
}

export type BatchField = "reference" | "sku" | "qty" | "eta";
export type LineField = "orderid" | "sku" | "qty";

/** A problem with one field of one row, to show next to that field. */
export interface FieldError {
  readonly row: string;
  readonly field: BatchField | LineField;
  readonly message: string;
}

export interface PlannedLine {
  readonly row: string;
  readonly orderid: string;
  readonly sku: string;
  readonly qty: number;
  /** The batch the line would go to, or null. */
  readonly batchref: string | null;
  /**
   * Why a line gets no batch: no batch holds its sku, none has enough left
   * for it, or it would fit but waits with the rest of its order.
   */
  readonly reason: "no-batch-for-sku" | "out-of-stock" | "waits-for-order" | null;
}

export interface PlannedBatch {
  readonly row: string;
  readonly reference: string;
  readonly sku: string;
  /** The ISO date of arrival, or null: in the warehouse. */
  readonly eta: string | null;
  readonly purchased: number;
  readonly planned: number;
  readonly remaining: number;
}

/** One order of the plan: shipped complete, or held back with none of its lines allocated. */
export interface PlannedOrder {
  readonly orderid: string;
  readonly complete: boolean;
  /** The order's lines, in the order typed, each with its batch (null for every line of a held-back order). */
  readonly lines: readonly PlannedLine[];
}

/** A change to one batch, to see what it would do to the orders. */
export interface ScenarioRow {
  /** The reference of the batch to change, or "" for no scenario. */
  readonly batch: string;
  readonly change: "delay" | "quantity" | "remove";
  /** Days later for "delay", the new quantity for "quantity"; unused for "remove". */
  readonly amount: string;
}

/** How one order fares under the scenario, beside the plan before it. */
export interface OrderComparison {
  readonly orderid: string;
  readonly before: PlannedOrder;
  readonly after: PlannedOrder;
  /** "held-back": it shipped and would not; "ships": the reverse; "other-batches": it ships either way, from other batches. */
  readonly change: "unchanged" | "held-back" | "ships" | "other-batches";
}

/** The plan under a scenario, or why the scenario cannot be applied. */
export type ScenarioView =
  | {
      readonly ok: true;
      /** The scenario in words, e.g. "ship-december arrives 30 days later, on 2026-12-31". */
      readonly summary: string;
      readonly orders: readonly OrderComparison[];
      /** What each batch would have left, by reference; null for the removed batch. */
      readonly remaining: ReadonlyMap<string, number | null>;
    }
  | { readonly ok: false; readonly field: "batch" | "amount"; readonly message: string };

/** Everything the page shows, worked out from the form alone. */
export interface PlanView {
  readonly errors: readonly FieldError[];
  readonly lines: readonly PlannedLine[];
  /** The lines grouped by order, orders in the order of their first line. */
  readonly orders: readonly PlannedOrder[];
  readonly batches: readonly PlannedBatch[];
  /** Rows left out of the plan because a field is wrong. */
  readonly rowsWithErrors: number;
  /** The plan under the scenario, or null when no batch is chosen for one. */
  readonly scenario: ScenarioView | null;
}

/** The largest quantity the library takes: Number.MAX_SAFE_INTEGER. */
export const MAX_QUANTITY: number = Number.MAX_SAFE_INTEGER;
/** The longest delay a scenario takes, in days: a hundred years. */
export const MAX_DELAY_DAYS = 36_500;

const BATCH_MESSAGES: Readonly<Record<string, string>> = {
  reference: "Enter a batch reference",
  sku: "Enter a SKU",
  eta: "Enter the date the shipment arrives",
};

const LINE_MESSAGES: Readonly<Record<string, string>> = {
  orderid: "Enter an order ID",
  sku: "Enter a SKU",
};

/**
 * What is wrong with a quantity the library refused, in words: too large
 * (with the maximum), or not a whole number of at least `least`.
 */
export function quantityMessage(text: string, least: 0 | 1): string {
  const value = quantity(text);
  if (value > MAX_QUANTITY) return `Too large: the most is ${MAX_QUANTITY.toLocaleString("en-US")}`;
  return `Enter a whole number, ${least} or more`;
}

/**
 * Reads the form's rows through the library's own constructors, so that what
 * the page accepts is exactly what the domain accepts, and plans the valid
 * lines into the valid batches with `planAllocations`. A row left entirely
 * blank is ignored; a row with a bad field is reported next to that field
 * (the library's `ValidationError.field` says which) and left out of the plan.
 */
export function planView(
  batchRows: readonly BatchRow[],
  lineRows: readonly LineRow[],
  scenarioRow: ScenarioRow | null = null,
): PlanView {
  const errors: FieldError[] = [];
  const batches: { row: string; batch: Batch }[] = [];
  const references = new Set<string>();
  for (const row of batchRows) {
    if (isBlank(row.reference, row.sku, row.qty, row.arrival === "shipment" ? row.eta : ""))
      continue;
    // A reference is taken by the first row that names it, even while that row has another error.
    const reference = row.reference.trim();
    if (references.has(reference)) {
      errors.push({ row: row.id, field: "reference", message: "Another batch has this reference" });
      continue;
    }
    if (reference !== "") references.add(reference);
    const eta = row.arrival === "warehouse" ? null : dateOf(row.eta);
    const batch = read(
      row.id,
      { ...BATCH_MESSAGES, qty: quantityMessage(row.qty, 0) },
      errors,
      () => new Batch(reference, row.sku.trim(), quantity(row.qty), eta),
    );
    if (batch !== undefined) batches.push({ row: row.id, batch });
  }
  const lines: { row: string; line: OrderLine }[] = [];
  for (const row of lineRows) {
    if (isBlank(row.orderid, row.sku, row.qty)) continue;
    const line = read(
      row.id,
      { ...LINE_MESSAGES, qty: quantityMessage(row.qty, 1) },
      errors,
      () => new OrderLine(row.orderid.trim(), row.sku.trim(), quantity(row.qty)),
    );
    if (line !== undefined) lines.push({ row: row.id, line });
  }

  const plan = planOrders(lines, batches);
  // The form's batches start empty, so what is planned is what no longer remains.
  const batchViews = batches.map(({ row, batch }): PlannedBatch => {
    const remaining = plan.remaining.get(batch.reference) ?? batch.availableQuantity;
    return {
      row,
      reference: batch.reference,
      sku: batch.sku,
      eta: isoDate(batch.eta),
      purchased: batch.purchasedQuantity,
      planned: batch.purchasedQuantity - remaining,
      remaining,
    };
  });
  return {
    errors,
    lines: plan.lines,
    orders: plan.orders,
    batches: batchViews,
    rowsWithErrors: new Set(errors.map((error) => error.row)).size,
    scenario:
      scenarioRow === null || scenarioRow.batch === ""
        ? null
        : scenarioView(scenarioRow, lines, batches, plan.orders),
  };
}

/** Plans whole orders, all or nothing, and puts each result back on its form row. */
function planOrders(
  lines: readonly { row: string; line: OrderLine }[],
  batches: readonly { row: string; batch: Batch }[],
): {
  lines: readonly PlannedLine[];
  orders: readonly PlannedOrder[];
  remaining: ReadonlyMap<string, number>;
} {
  const plan = planAllocations(
    lines.map(({ line }) => line),
    batches.map(({ batch }) => batch),
    { byOrder: true },
  );
  const skus = new Set(batches.map(({ batch }) => batch.sku));
  const short = shortLines(plan.orders, batches);
  const views = new Map<PlannedAllocation, PlannedLine>();
  const lineViews = plan.results.map((result, index): PlannedLine => {
    const { line, batchref } = result;
    const view: PlannedLine = {
      row: lines[index]?.row ?? "",
      orderid: line.orderid,
      sku: line.sku,
      qty: line.qty,
      batchref,
      reason:
        batchref !== null
          ? null
          : !skus.has(line.sku)
            ? "no-batch-for-sku"
            : short.has(line)
              ? "out-of-stock"
              : "waits-for-order",
    };
    views.set(result, view);
    return view;
  });
  const orders = plan.orders.map(
    (order): PlannedOrder => ({
      orderid: order.orderid,
      complete: order.complete,
      lines: order.lines.map((result) => views.get(result) as PlannedLine),
    }),
  );
  return { lines: lineViews, orders, remaining: plan.remaining };
}

/**
 * The lines of the held-back orders that are short of stock, as opposed to
 * those that would fit but wait with their order. A held-back order meets the
 * stock the complete orders before it left, so planning their lines and then
 * its own, line by line, shows which of its lines find nothing. The page
 * plans a few dozen lines, so planning again per held-back order is cheap.
 */
function shortLines(
  orders: readonly OrderPlan[],
  batches: readonly { batch: Batch }[],
): ReadonlySet<OrderLine> {
  const short = new Set<OrderLine>();
  const before: OrderLine[] = [];
  const stock = batches.map(({ batch }) => batch);
  for (const order of orders) {
    const own = order.lines.map(({ line }) => line);
    if (order.complete) {
      before.push(...own);
      continue;
    }
    const trial = planAllocations([...before, ...own], stock).results.slice(before.length);
    for (const { line, batchref } of trial) if (batchref === null) short.add(line);
  }
  return short;
}

const DAY = 24 * 60 * 60 * 1000;

/** Applies the scenario to a copy of the batches, plans again, and compares order by order. */
function scenarioView(
  scenario: ScenarioRow,
  lines: readonly { row: string; line: OrderLine }[],
  batches: readonly { row: string; batch: Batch }[],
  before: readonly PlannedOrder[],
): ScenarioView {
  const target = batches.find(({ batch }) => batch.reference === scenario.batch)?.batch;
  if (target === undefined) {
    return { ok: false, field: "batch", message: `No valid batch ${scenario.batch} in the form` };
  }
  let changed: Batch | null;
  let summary: string;
  if (scenario.change === "remove") {
    changed = null;
    summary = `Without ${target.reference}`;
  } else if (scenario.change === "delay") {
    if (target.eta === null) {
      return {
        ok: false,
        field: "batch",
        message: `${target.reference} is in the warehouse: it has no arrival to delay`,
      };
    }
    const days = quantity(scenario.amount);
    if (!Number.isSafeInteger(days) || days < 1 || days > MAX_DELAY_DAYS) {
      return {
        ok: false,
        field: "amount",
        message:
          days > MAX_DELAY_DAYS
            ? `Too many days: the most is ${MAX_DELAY_DAYS.toLocaleString("en-US")}`
            : "Enter a whole number of days, 1 or more",
      };
    }
    const eta = new Date(target.eta.getTime() + days * DAY);
    changed = new Batch(target.reference, target.sku, target.purchasedQuantity, eta);
    summary = `${target.reference} arrives ${days} ${days === 1 ? "day" : "days"} later, on ${isoDate(eta)}`;
  } else {
    const qty = quantity(scenario.amount);
    if (!Number.isSafeInteger(qty) || qty < 0) {
      return { ok: false, field: "amount", message: quantityMessage(scenario.amount, 0) };
    }
    changed = new Batch(target.reference, target.sku, qty, target.eta);
    summary = `${target.reference} holds ${qty} instead of ${target.purchasedQuantity}`;
  }
  const replaced = batches.flatMap((entry) =>
    entry.batch !== target ? [entry] : changed === null ? [] : [{ row: entry.row, batch: changed }],
  );
  const after = planOrders(lines, replaced);
  const remaining = new Map<string, number | null>(
    batches.map(({ batch }) => [batch.reference, after.remaining.get(batch.reference) ?? null]),
  );
  const orders = before.map((order, index): OrderComparison => {
    const then = after.orders[index] as PlannedOrder;
    return { orderid: order.orderid, before: order, after: then, change: changeOf(order, then) };
  });
  return { ok: true, summary, orders, remaining };
}

function changeOf(before: PlannedOrder, after: PlannedOrder): OrderComparison["change"] {
  if (before.complete !== after.complete) return before.complete ? "held-back" : "ships";
  const moved = before.lines.some((line, index) => line.batchref !== after.lines[index]?.batchref);
  return moved ? "other-batches" : "unchanged";
}

function isoDate(date: Date | null): string | null {
  return date === null ? null : date.toISOString().slice(0, 10);
}

function read<T>(
  row: string,
  messages: Readonly<Record<string, string>>,
  errors: FieldError[],
  make: () => T,
): T | undefined {
  try {
    return make();
  } catch (error) {
    if (ValidationError.is(error)) {
      const field = error.field as FieldError["field"];
      errors.push({ row, field, message: messages[field] ?? error.message });
      return undefined;
    }
    if (DuplicateBatch.is(error)) {
      errors.push({ row, field: "reference", message: "Another batch has this reference" });
      return undefined;
    }
    throw error;
  }
}

function isBlank(...values: string[]): boolean {
  return values.every((value) => value.trim() === "");
}

// "" is not 0: an empty quantity must be reported, not read as zero.
function quantity(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

// The library refuses an invalid Date with a ValidationError on "eta".
function dateOf(text: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(Number.NaN);
}
