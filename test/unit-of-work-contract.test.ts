import { ContractViolation, unitOfWorkContract } from "cosmic-allocation/testing";
import { describe, expect, it } from "vitest";
import { type Flaws, NaiveStore } from "./broken-adapters";

function failingChecks(flaws: Flaws): Promise<string[]> {
  const checks = unitOfWorkContract(() => {
    const store = new NaiveStore(flaws);
    return () => store.unitOfWork();
  });
  return Promise.all(
    checks.map(async (check) => {
      try {
        await check.run();
        return undefined;
      } catch {
        return check.name;
      }
    }),
  ).then((names) => names.filter((name): name is string => name !== undefined));
}

describe("the unit-of-work contract kit", () => {
  it("passes a correct adapter written independently of InMemoryStore", async () => {
    expect(await failingChecks({})).toEqual([]);
  });

  it.each<[keyof Flaws, string]>([
    ["sharesObjects", "uncommitted work is invisible to other units of work"],
    [
      "ignoresVersions",
      "of two concurrent conflicting commits exactly one wins and nothing is lost",
    ],
    ["commitsOnDispose", "nothing persists without a commit: leaving a unit of work rolls it back"],
    [
      "partialCommit",
      "a commit over a product another unit of work changed since it was read throws ConcurrencyConflict and applies nothing",
    ],
    ["neverCloses", "a closed unit of work refuses further use"],
    [
      "eventsByProduct",
      "a commit hands out the new events of every product it touched, in the order recorded, once",
    ],
    ["noIdentityMap", "get returns the same object for a sku within one unit of work"],
    ["byRefCopies", "get returns the same object for a sku within one unit of work"],
    ["disposeThrows", "an error inside a unit of work rolls it back and still propagates"],
    ["disposeThrows", "a closed unit of work refuses further use"],
    [
      "sortsBatches",
      "allocations, quantities, etas and the order of batches and lines round-trip exactly",
    ],
  ])("fails an adapter that is wrong in one way: %s breaks %s", async (flaw, check) => {
    expect(await failingChecks({ [flaw]: true })).toContain(check);
  });

  it("reports a broken rule as a ContractViolation naming the check", async () => {
    const [check] = unitOfWorkContract(() => {
      const store = new NaiveStore({ neverCloses: true });
      return () => store.unitOfWork();
    }).filter((candidate) => candidate.name === "a closed unit of work refuses further use");
    const error = await check?.run().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ContractViolation);
    expect(error).toMatchObject({ check: "a closed unit of work refuses further use" });
  });

  it("needs a function that makes factories", () => {
    expect(() => unitOfWorkContract(42 as never)).toThrow(TypeError);
  });
});
