import { OrderLine } from "../domain/order-line";
import { requireEta, requireIsoEta, requireQuantity, requireText } from "../domain/validate";

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
