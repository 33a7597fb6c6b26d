import { allocate, Batch, OutOfStock, Product } from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildStockedBatches, orderLine, sku, stockedBatches } from "../../test/arbitraries";

const oneSku = fc.constant("LAMP");

function attempt(action: () => string): string {
  try {
    return action();
  } catch (error) {
    if (OutOfStock.is(error)) return "out of stock";
    throw error;
  }
}

describe("product laws", () => {
  it("Product.allocate chooses exactly as the allocate service does over the same batches", () => {
    fc.assert(
      fc.property(
        stockedBatches(oneSku, { maxLength: 24 }),
        fc.array(orderLine(oneSku), { maxLength: 20 }),
        (stock, lines) => {
          const forProduct = buildStockedBatches(stock);
          const forService = buildStockedBatches(stock);
          const product = new Product("LAMP", forProduct);
          for (const line of lines) {
            expect(attempt(() => product.allocate(line))).toBe(
              attempt(() => allocate(line, forService)),
            );
          }
          expect(product.batches.map((batch) => batch.toJSON())).toEqual(
            forService.map((batch) => batch.toJSON()),
          );
        },
      ),
    );
  });

  it("the version rises by exactly one per new allocation", () => {
    fc.assert(
      fc.property(
        stockedBatches(oneSku),
        fc.array(orderLine(oneSku), { maxLength: 20 }),
        (stock, lines) => {
          const product = new Product("LAMP", buildStockedBatches(stock));
          let allocations = 0;
          for (const line of lines) {
            const held = product.batches.some((batch) => batch.isAllocated(line));
            if (attempt(() => product.allocate(line)) !== "out of stock" && !held) allocations += 1;
            expect(product.versionNumber).toBe(allocations);
          }
        },
      ),
    );
  });

  it("fromJSON(toJSON(product)) equals the product and allocates the same way", () => {
    fc.assert(
      fc.property(
        stockedBatches(oneSku),
        fc.nat({ max: 1000 }),
        orderLine(oneSku),
        (stock, version, line) => {
          const product = new Product("LAMP", buildStockedBatches(stock), version);
          const copy = Product.fromJSON(JSON.parse(JSON.stringify(product)));
          expect(copy.toJSON()).toEqual(product.toJSON());
          expect(attempt(() => copy.allocate(line))).toBe(attempt(() => product.allocate(line)));
        },
      ),
    );
  });

  it("a copy and its original never see each other's changes, whichever changes first", () => {
    fc.assert(
      fc.property(
        stockedBatches(oneSku, { maxLength: 20 }),
        fc.array(fc.tuple(fc.boolean(), orderLine(oneSku)), { maxLength: 20 }),
        (stock, changes) => {
          const original = new Product("LAMP", buildStockedBatches(stock));
          const copy = original._clone();
          const twin = new Product("LAMP", buildStockedBatches(stock));
          const twinCopy = new Product("LAMP", buildStockedBatches(stock));
          for (const [onCopy, line] of changes) {
            const [target, reference] = onCopy ? [copy, twinCopy] : [original, twin];
            const deallocate = line.qty % 3 === 0;
            const act = (product: Product) => () =>
              deallocate ? String(product.deallocate(line)) : product.allocate(line);
            expect(attempt(act(target))).toBe(attempt(act(reference)));
          }
          expect(original.toJSON()).toEqual(twin.toJSON());
          expect(copy.toJSON()).toEqual(twinCopy.toJSON());
        },
      ),
    );
  });

  it("a product accepts only batches of its own sku", () => {
    fc.assert(
      fc.property(sku, sku, (productSku, batchSku) => {
        const build = (): Product => new Product(productSku, [new Batch("b1", batchSku, 1)]);
        if (productSku === batchSku) expect(build().batches).toHaveLength(1);
        else expect(build).toThrow(/Sku mismatch/);
      }),
    );
  });
});
