import type { Batch } from "./batch";
import type { BatchView } from "./batch-view";
import { lineKey, type OrderLine } from "./order-line";

/**
 * An order line and the batch it is allocated to.
 *
 * @example
 * ```ts
 * import { Batch, OrderLine, Product, type LineAllocation } from "cosmic-allocation";
 *
 * const product = new Product("LAMP", [new Batch("b1", "LAMP", 5), new Batch("b2", "LAMP", 5)]);
 * product.allocate(new OrderLine("o1", "LAMP", 4));
 * const [moved]: readonly LineAllocation[] = product.changeBatchQuantity("b1", 0).moved;
 * console.log(moved?.line.orderid, moved?.batchref); // "o1" "b2"
 * ```
 */
export interface LineAllocation {
  /** The order line. */
  readonly line: OrderLine;
  /** The reference of the batch that holds it. */
  readonly batchref: string;
}

/**
 * What changed in a product since a unit of work loaded it, net of what
 * cancelled out, in the order the changes were made.
 *
 * @internal
 */
export interface ProductChangeSummary {
  readonly addedBatches: readonly BatchView[];
  readonly changedQuantities: readonly { reference: string; qty: number }[];
  readonly deallocated: readonly LineAllocation[];
  readonly allocated: readonly LineAllocation[];
}

/**
 * The journal a tracked product keeps of its own changes, so that an adapter
 * writes only what changed: O(changes), not O(product).
 *
 * @internal
 */
export interface ProductChangeSet {
  batchAdded(batch: Batch): void;
  quantityChanged(batch: Batch): void;
  allocated(batch: Batch, line: OrderLine): void;
  deallocated(batch: Batch, line: OrderLine): void;
  summarize(view: (batch: Batch) => BatchView): ProductChangeSummary;
}

interface Placement {
  readonly batch: Batch;
  readonly line: OrderLine;
  // Whether storage held the line in the batch when tracking started.
  readonly stored: boolean;
}

/**
 * Starts a journal. A placement's first change tells whether storage held it
 * (a line is released only if held, placed only if not): every stored
 * placement that changed is removed from storage, and every placement the
 * batch holds now and that was placed meanwhile is added, in the order last
 * placed. A line released and placed again in the same batch is so written as
 * both, since it moved to the end of the batch's order.
 *
 * @internal
 */
export function recordChanges(): ProductChangeSet {
  const added = new Set<Batch>();
  const resized = new Set<Batch>();
  // Keyed by batch reference and line; a Map keeps the order of first change.
  const placements = new Map<string, Placement>();
  // Held placements in the order they were last placed: storage appends them in that order.
  const placed = new Set<Placement>();

  const touch = (batch: Batch, line: OrderLine, stored: boolean): Placement => {
    const key = `${batch.reference}\u0000${lineKey(line)}`;
    let placement = placements.get(key);
    if (placement === undefined) {
      placement = { batch, line, stored };
      placements.set(key, placement);
    }
    return placement;
  };

  return {
    batchAdded(batch) {
      added.add(batch);
    },
    quantityChanged(batch) {
      if (!added.has(batch)) resized.add(batch);
    },
    allocated(batch, line) {
      if (added.has(batch)) return;
      const placement = touch(batch, line, false);
      placed.delete(placement);
      placed.add(placement);
    },
    deallocated(batch, line) {
      if (added.has(batch)) return;
      placed.delete(touch(batch, line, true));
    },
    summarize(view) {
      const deallocated: LineAllocation[] = [];
      for (const { batch, line, stored } of placements.values()) {
        if (stored) deallocated.push({ line, batchref: batch.reference });
      }
      const allocated: LineAllocation[] = Array.from(placed, ({ batch, line }) => ({
        line,
        batchref: batch.reference,
      }));
      for (const batch of added) {
        for (const line of batch.allocations) allocated.push({ line, batchref: batch.reference });
      }
      return {
        addedBatches: [...added].map(view),
        changedQuantities: [...resized].map((batch) => ({
          reference: batch.reference,
          qty: batch.purchasedQuantity,
        })),
        deallocated,
        allocated,
      };
    },
  };
}
