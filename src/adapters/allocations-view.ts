import type { DomainEvent } from "../domain/events";

/**
 * Where one line of an order is allocated, as the read model answers it.
 *
 * @example
 * ```ts
 * import type { OrderLineAllocation } from "cosmic-allocation";
 *
 * const row: OrderLineAllocation = { sku: "LAMP", batchref: "b1" };
 * ```
 */
export interface OrderLineAllocation {
  /** The sku of the line. */
  readonly sku: string;
  /** The batch that holds it. */
  readonly batchref: string;
}

interface Row extends OrderLineAllocation {
  readonly qty: number;
}

/**
 * The read model of the book's chapter 12: where each line of each order is
 * allocated, kept from `Allocated` and `Deallocated` events alone, never by
 * loading an aggregate. Reading it costs O(lines of the order).
 *
 * @internal
 */
export class AllocationsView {
  readonly #byOrder = new Map<string, Row[]>();

  /** Applies one event; events other than `Allocated` and `Deallocated` change nothing. */
  apply(event: DomainEvent): void {
    if (event.type === "Allocated") {
      const rows = this.#byOrder.get(event.orderid) ?? [];
      rows.push({ sku: event.sku, batchref: event.batchref, qty: event.qty });
      this.#byOrder.set(event.orderid, rows);
    } else if (event.type === "Deallocated") {
      const rows = this.#byOrder.get(event.orderid);
      const at =
        rows?.findIndex(
          (row) =>
            row.sku === event.sku && row.batchref === event.batchref && row.qty === event.qty,
        ) ?? -1;
      if (rows === undefined || at < 0) return;
      rows.splice(at, 1);
      if (rows.length === 0) this.#byOrder.delete(event.orderid);
    }
  }

  /** The order's lines and their batches, in the order they were allocated; empty for an unknown order. */
  allocationsFor(orderid: string): readonly OrderLineAllocation[] {
    return (this.#byOrder.get(orderid) ?? []).map(({ sku, batchref }) => ({ sku, batchref }));
  }
}
