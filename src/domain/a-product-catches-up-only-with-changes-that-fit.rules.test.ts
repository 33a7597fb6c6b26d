// Product._catchUp: how a storage adapter brings a cached product up to a
// later stored version from what the commits in between wrote, and the
// changes it refuses (the adapter then reads the product whole).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Batch } from "./batch";
import { OrderLine } from "./order-line";
import { Product } from "./product";

const line = (orderid: string, qty = 1) => new OrderLine(orderid, "LAMP", qty);
const stored = (reference: string, qty: number, eta: Date | null = null) =>
  new Batch(reference, "LAMP", qty, eta);

/** A product of two batches, b1 holding o1 then o2, at version 2. */
function cachedCopy(): Product {
  const product = new Product("LAMP", [stored("b1", 10), stored("b2", 10, new Date("2030-01-01"))]);
  product.allocate(line("o1"));
  product.allocate(line("o2"));
  // Published: what the cache holds has no events left.
  product.takeEvents();
  return product;
}

describe("a product catches up with committed changes", () => {
  it("releases, resizes, adds batches, then appends placed lines, and ends at the stored version with no event", () => {
    const product = cachedCopy();
    const caught = product._catchUp({
      versionNumber: 9,
      batches: [stored("b1", 4), stored("b2", 10, new Date("2030-01-01")), stored("b3", 5)],
      released: [{ batchref: "b1", line: line("o1") }],
      placed: [
        { batchref: "b1", line: line("o1") },
        { batchref: "b3", line: line("o3", 2) },
      ],
    });
    expect(caught).toBe(true);
    expect(product.versionNumber).toBe(9);
    expect(product.events).toEqual([]);
    expect(product.toJSON()).toEqual({
      sku: "LAMP",
      versionNumber: 9,
      batches: [
        {
          reference: "b1",
          sku: "LAMP",
          qty: 4,
          eta: null,
          allocations: [line("o2"), line("o1")].map((l) => l.toJSON()),
        },
        { reference: "b2", sku: "LAMP", qty: 10, eta: "2030-01-01T00:00:00.000Z", allocations: [] },
        { reference: "b3", sku: "LAMP", qty: 5, eta: null, allocations: [line("o3", 2).toJSON()] },
      ],
    });
    // The stock index follows: the next allocation sees what is left.
    expect(product.allocate(line("o4", 3))).toBe("b3");
  });

  it("skips a released line that no batch holds: it was placed and released in between", () => {
    const product = cachedCopy();
    const released = [{ batchref: "b2", line: line("gone") }];
    expect(
      product._catchUp({
        versionNumber: 4,
        batches: product.batches.map(copyOf),
        released,
        placed: [],
      }),
    ).toBe(true);
    expect(product.getBatch("b1")?.allocatedQuantity).toBe(2);
  });

  it("law: catching up a copy with every line released and placed again gives the stored product, whatever the lines", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }), (orders) => {
        const product = new Product("LAMP", [stored("b1", 1000)]);
        for (const order of orders) product.allocate(line(`o${order}`));
        const target = new Product("LAMP", [stored("b1", 1000)]);
        const reversed = [...orders].reverse();
        for (const order of reversed) target.allocate(line(`o${order}`));
        const caught = product._catchUp({
          versionNumber: target.versionNumber + 5,
          batches: [stored("b1", 1000)],
          released: orders.map((order) => ({ batchref: "b1", line: line(`o${order}`) })),
          placed: reversed.map((order) => ({ batchref: "b1", line: line(`o${order}`) })),
        });
        expect(caught).toBe(true);
        expect(product.toJSON().batches).toEqual(target.toJSON().batches);
      }),
    );
  });
});

describe("a product refuses changes that do not fit it, so that the adapter reads it whole", () => {
  const refusals: readonly [string, (product: Product) => Parameters<Product["_catchUp"]>[0]][] = [
    [
      "a batch it holds is missing from the stored ones",
      () => ({ versionNumber: 3, batches: [stored("b1", 10)], released: [], placed: [] }),
    ],
    [
      "a new stored batch already holds lines",
      (product) => {
        const full = stored("b3", 5);
        full.allocate(line("o9"));
        return {
          versionNumber: 3,
          batches: [...product.batches.map(copyOf), full],
          released: [],
          placed: [],
        };
      },
    ],
    [
      "a new stored batch is of another sku",
      (product) => ({
        versionNumber: 3,
        batches: [...product.batches.map(copyOf), new Batch("b3", "RUG", 5)],
        released: [],
        placed: [],
      }),
    ],
    [
      "a resize would release a line (a release is missing)",
      () => ({
        versionNumber: 3,
        batches: [stored("b1", 1), stored("b2", 10, new Date("2030-01-01"))],
        released: [],
        placed: [],
      }),
    ],
    [
      "a placed line is still held (its release is missing)",
      (product) => ({
        versionNumber: 3,
        batches: product.batches.map(copyOf),
        released: [],
        placed: [{ batchref: "b2", line: line("o1") }],
      }),
    ],
    [
      "a placed line names a batch it does not have",
      (product) => ({
        versionNumber: 3,
        batches: product.batches.map(copyOf),
        released: [],
        placed: [{ batchref: "b9", line: line("o7") }],
      }),
    ],
    [
      "a placed line does not fit its batch",
      (product) => ({
        versionNumber: 3,
        batches: product.batches.map(copyOf),
        released: [],
        placed: [{ batchref: "b1", line: line("o7", 50) }],
      }),
    ],
    [
      "a placed line is of another sku",
      (product) => ({
        versionNumber: 3,
        batches: product.batches.map(copyOf),
        released: [],
        placed: [{ batchref: "b1", line: new OrderLine("o7", "RUG", 1) }],
      }),
    ],
  ];
  for (const [when, changes] of refusals) {
    it(`when ${when}`, () => {
      const product = cachedCopy();
      expect(product._catchUp(changes(product))).toBe(false);
    });
  }
});

/** A stored batch as the adapter would build it from a batch view: no lines. */
function copyOf(view: {
  readonly reference: string;
  readonly purchasedQuantity: number;
  readonly eta: Date | null;
}): Batch {
  return new Batch(view.reference, "LAMP", view.purchasedQuantity, view.eta);
}
