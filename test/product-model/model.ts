import type { Product } from "cosmic-allocation";
import { expect } from "vitest";

/**
 * A small reference model of the Product aggregate, written the obvious way:
 * lists and linear scans, no indexes. The model-based test runs random command
 * sequences against it and the real Product and compares them after each step.
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

export const SKU = "LAMP";

export class ProductModel {
  readonly batches: ModelBatch[] = [];
  version = 0;

  available(batch: ModelBatch): number {
    return batch.qty - batch.lines.reduce((sum, line) => sum + line.qty, 0);
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

  /** Checks that the real product's whole state, version included, is the model's. */
  expectMatches(product: Product): void {
    expect(product.toJSON()).toEqual(this.toJSON());
  }

  /** The JSON the real product must produce. */
  toJSON(): unknown {
    return {
      sku: SKU,
      versionNumber: this.version,
      batches: this.batches.map((batch) => ({
        reference: batch.reference,
        sku: SKU,
        qty: batch.qty,
        eta: batch.eta === null ? null : new Date(batch.eta).toISOString(),
        allocations: batch.lines.map((line) => ({ ...line, sku: SKU })),
      })),
    };
  }
}
