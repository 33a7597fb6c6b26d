import { Product } from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddBatchCommand } from "./product-model/add-batch-command";
import { AllocateCommand } from "./product-model/allocate-command";
import { ChangeBatchQuantityCommand } from "./product-model/change-batch-quantity-command";
import { DeallocateCommand } from "./product-model/deallocate-command";
import { ProductModel } from "./product-model/model";

const reference = fc.constantFrom("b1", "b2", "b3", "b4", "b5");
const orderid = fc.constantFrom("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8");
const qty = fc.integer({ min: 1, max: 8 });
const eta = fc.option(
  fc.integer({ min: 0, max: 3 }).map((day) => Date.UTC(2026, 11, 1 + day)),
  { nil: null },
);

const commands = [
  fc
    .tuple(reference, fc.integer({ min: 0, max: 20 }), eta)
    .map(([ref, quantity, arrival]) => new AddBatchCommand(ref, quantity, arrival)),
  fc.tuple(orderid, qty).map(([id, quantity]) => new AllocateCommand(id, quantity)),
  fc.tuple(orderid, qty).map(([id, quantity]) => new DeallocateCommand(id, quantity)),
  fc
    .tuple(reference, fc.integer({ min: 0, max: 20 }))
    .map(([ref, quantity]) => new ChangeBatchQuantityCommand(ref, quantity)),
];

describe("the Product aggregate against a reference model", () => {
  it("behaves like the model over any sequence of addBatch, allocate, deallocate and changeBatchQuantity", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (sequence) => {
        const setup = () => ({ model: new ProductModel(), real: new Product("LAMP") });
        fc.modelRun(setup, [...sequence, new StateMatches()]);
      }),
      { numRuns: 300 },
    );
  });
});

/** Not a command of the product: a final check that the whole state matches the model. */
class StateMatches implements fc.Command<ProductModel, Product> {
  check(): boolean {
    return true;
  }

  run(model: ProductModel, product: Product): void {
    expect(product.toJSON()).toEqual(model.toJSON());
    for (const batch of product.batches) {
      expect(batch.availableQuantity).toBeGreaterThanOrEqual(0);
    }
  }

  toString(): string {
    return "stateMatches()";
  }
}
