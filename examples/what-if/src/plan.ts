import {
  Batch,
  DuplicateBatch,
  OrderLine,
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
  /** Why a line gets no batch: no batch holds its sku, or none has enough left. */
  readonly reason: "no-batch-for-sku" | "out-of-stock" | null;
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

/** Everything the page shows, worked out from the form alone. */
export interface PlanView {
  readonly errors: readonly FieldError[];
  readonly lines: readonly PlannedLine[];
  readonly batches: readonly PlannedBatch[];
  /** Rows left out of the plan because a field is wrong. */
  readonly rowsWithErrors: number;
}

const BATCH_MESSAGES: Readonly<Record<string, string>> = {
  reference: "Enter a batch reference",
  sku: "Enter a SKU",
  qty: "Enter a whole number, 0 or more",
  eta: "Enter the date the shipment arrives",
};

const LINE_MESSAGES: Readonly<Record<string, string>> = {
  orderid: "Enter an order ID",
  sku: "Enter a SKU",
  qty: "Enter a whole number, 1 or more",
};

/**
 * Reads the form's rows through the library's own constructors, so that what
 * the page accepts is exactly what the domain accepts, and plans the valid
 * lines into the valid batches with `planAllocations`. A row left entirely
 * blank is ignored; a row with a bad field is reported next to that field
 * (the library's `ValidationError.field` says which) and left out of the plan.
 */
export function planView(batchRows: readonly BatchRow[], lineRows: readonly LineRow[]): PlanView {
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
      BATCH_MESSAGES,
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
      LINE_MESSAGES,
      errors,
      () => new OrderLine(row.orderid.trim(), row.sku.trim(), quantity(row.qty)),
    );
    if (line !== undefined) lines.push({ row: row.id, line });
  }

  const plan = planAllocations(
    lines.map(({ line }) => line),
    batches.map(({ batch }) => batch),
  );
  const skus = new Set(batches.map(({ batch }) => batch.sku));
  const planned = new Map<string, number>();
  const lineViews = plan.results.map(({ line, batchref }, index): PlannedLine => {
    if (batchref !== null) planned.set(batchref, (planned.get(batchref) ?? 0) + line.qty);
    return {
      row: lines[index]?.row ?? "",
      orderid: line.orderid,
      sku: line.sku,
      qty: line.qty,
      batchref,
      reason: batchref !== null ? null : skus.has(line.sku) ? "out-of-stock" : "no-batch-for-sku",
    };
  });
  const batchViews = batches.map(
    ({ row, batch }): PlannedBatch => ({
      row,
      reference: batch.reference,
      sku: batch.sku,
      eta: batch.eta?.toISOString().slice(0, 10) ?? null,
      purchased: batch.purchasedQuantity,
      planned: planned.get(batch.reference) ?? 0,
      remaining: plan.remaining.get(batch.reference) ?? batch.availableQuantity,
    }),
  );
  return {
    errors,
    lines: lineViews,
    batches: batchViews,
    rowsWithErrors: new Set(errors.map((error) => error.row)).size,
  };
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
