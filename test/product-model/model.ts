import type { Product } from "cosmic-allocation";
import { expect } from "vitest";

/**
 * A small reference model of the Product aggregate, written the obvious way:
 * lists and linear scans, no indexes. Model-based tests run random command
 * sequences against it and the real code and compare them after each step.
 */

export interface ModelLine {
  readonly orderid: string;
  readonly qty: number;
}

export interface ModelBatch {
  readonly reference: string;
  readonly eta: number | null;
  qty: number;
  readonly lines: ModelLine[];
}

/** What the model says a quantity change does: [orderid, batchref] moves and orderids left over. */
export interface ModelChange {
  readonly moved: [string, string][];
  readonly unallocated: string[];
}

export class ProductModel {
  readonly batches: ModelBatch[] = [];
  version = 0;

  constructor(readonly sku = "LAMP") {}

  available(batch: ModelBatch): number {
    return batch.qty - batch.lines.reduce((sum, line) => sum + line.qty, 0);
  }

  batch(reference: string): ModelBatch | undefined {
    return this.batches.find((candidate) => candidate.reference === reference);
  }

  holderOf(line: ModelLine): ModelBatch | undefined {
    return this.batches.find((batch) =>
      batch.lines.some((held) => held.orderid === line.orderid && held.qty === line.qty),
    );
  }

  firstThatFits(qty: number): ModelBatch | undefined {
    const rank = (batch: ModelBatch): number => batch.eta ?? Number.NEGATIVE_INFINITY;
    const preferred = [...this.batches].sort((a, b) => {
      const byEta = rank(a) - rank(b);
      return Number.isNaN(byEta) ? 0 : byEta;
    });
    return preferred.find((batch) => this.available(batch) >= qty);
  }

  /** Adds a batch; false when the reference is taken. */
  addBatch(reference: string, qty: number, eta: number | null): boolean {
    if (this.batch(reference) !== undefined) return false;
    this.batches.push({ reference, eta, qty, lines: [] });
    this.version += 1;
    return true;
  }

  /** The batch that holds the line afterwards, or "out of stock". */
  allocate(line: ModelLine): string {
    const holder = this.holderOf(line);
    if (holder !== undefined) return holder.reference;
    const target = this.firstThatFits(line.qty);
    if (target === undefined) return "out of stock";
    target.lines.push({ orderid: line.orderid, qty: line.qty });
    this.version += 1;
    return target.reference;
  }

  /** The batch that held the line, or null. */
  deallocate(line: ModelLine): string | null {
    const holder = this.holderOf(line);
    if (holder === undefined) return null;
    holder.lines.splice(
      holder.lines.findIndex((held) => held.orderid === line.orderid && held.qty === line.qty),
      1,
    );
    this.version += 1;
    return holder.reference;
  }

  /** Sets a batch's quantity; the newest lines leave until it fits and go, oldest first, to the first batch that takes them. */
  changeBatchQuantity(batch: ModelBatch, qty: number): ModelChange {
    const change: ModelChange = { moved: [], unallocated: [] };
    if (batch.qty === qty) return change;
    batch.qty = qty;
    const released: ModelLine[] = [];
    while (this.available(batch) < 0) released.unshift(batch.lines.pop() as ModelLine);
    this.version += 1;
    for (const line of released) {
      const target = this.firstThatFits(line.qty);
      target?.lines.push(line);
      if (target === undefined) change.unallocated.push(line.orderid);
      else if (target !== batch) change.moved.push([line.orderid, target.reference]);
    }
    return change;
  }

  /** Checks that the real product's whole state, version included, is the model's. */
  expectMatches(product: Product | undefined): void {
    expect(product?.toJSON()).toEqual(this.toJSON());
  }

  /** The JSON the real product must produce. */
  toJSON(): unknown {
    const sku = this.sku;
    return {
      sku,
      versionNumber: this.version,
      batches: this.batches.map((batch) => ({
        reference: batch.reference,
        sku,
        qty: batch.qty,
        eta: batch.eta === null ? null : new Date(batch.eta).toISOString(),
        allocations: batch.lines.map((line) => ({ ...line, sku })),
      })),
    };
  }
}
