import { OrderLine } from "../domain/order-line";
import {
  readNested,
  requireEta,
  requireIsoEta,
  requireQuantity,
  requireRecord,
  requireText,
} from "../domain/validate";
import { ValidationError } from "../errors/validation-error";

// Commands arrive as primitives from HTTP handlers, queues and CLIs; these
// readers check every field before any unit of work opens.

/** The constructor checks each field, under the command's own field names. @internal */
export function readOrderLine(command: Readonly<Record<string, unknown>>): OrderLine {
  return new OrderLine(command.orderid as string, command.sku as string, command.qty as number);
}

/** The fields of a new batch, checked; eta in epoch milliseconds or null. @internal */
export interface BatchFields {
  readonly ref: string;
  readonly sku: string;
  readonly qty: number;
  readonly eta: number | null;
}

/** @internal */
export function readBatchFields(command: Readonly<Record<string, unknown>>): BatchFields {
  const { eta } = command;
  return {
    ref: requireText(command.ref, "ref"),
    sku: requireText(command.sku, "sku"),
    qty: requireQuantity(command.qty, "qty"),
    eta: typeof eta === "string" ? requireIsoEta(eta, "eta") : requireEta(eta, "eta"),
  };
}

/** @internal */
export function readQuantityChange(command: Readonly<Record<string, unknown>>): {
  readonly ref: string;
  readonly qty: number;
} {
  return { ref: requireText(command.ref, "ref"), qty: requireQuantity(command.qty, "qty") };
}

/** An order's id and its lines, one per sku, as the order commands carry them. */
export interface OrderFields {
  readonly orderid: string;
  readonly lines: readonly OrderLine[];
}

// The most lines one order command may carry: a bound on the work one request causes.
export const MAX_ORDER_LINES = 1000;

export function readOrder(command: Readonly<Record<string, unknown>>): OrderFields {
  const orderid = requireText(command.orderid, "orderid");
  const lines = command.lines;
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_ORDER_LINES) {
    throw new ValidationError("lines", lines, `an array of 1 to ${MAX_ORDER_LINES} lines`);
  }
  const skus = new Set<string>();
  const read: OrderLine[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!(index in lines)) throw new ValidationError(`lines[${index}]`, undefined, "a line");
    const line = readNested(`lines[${index}]`, "line", () => {
      const fields = requireRecord(lines[index], "line");
      return new OrderLine(orderid, fields.sku as string, fields.qty as number);
    });
    if (skus.has(line.sku)) {
      throw new ValidationError(
        `lines[${index}].sku`,
        line.sku,
        "a sku no other line of the order has",
      );
    }
    skus.add(line.sku);
    read.push(line);
  }
  return { orderid, lines: read };
}

export function readOrderId(command: Readonly<Record<string, unknown>>): string {
  return requireText(command.orderid, "orderid");
}
