import { InMemoryStore } from "cosmic-allocation";
import { unitOfWorkContract } from "cosmic-allocation/testing";
import { describe, it } from "vitest";

describe("InMemoryStore keeps the unit-of-work contract", () => {
  for (const check of unitOfWorkContract(() => {
    const store = new InMemoryStore();
    return () => store.unitOfWork();
  })) {
    it(check.name, check.run);
  }
});

describe("the contract checks can share one store", () => {
  const shared = new InMemoryStore();
  for (const check of unitOfWorkContract(() => () => shared.unitOfWork())) {
    it(check.name, check.run);
  }
});
