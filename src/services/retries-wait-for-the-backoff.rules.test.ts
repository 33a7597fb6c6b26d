import { ConcurrencyConflict, InMemoryStore, services, type UnitOfWork } from "cosmic-allocation";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jitteredBackoff } from "./service-options";

// After a ConcurrencyConflict the service waits backoff(attempt) milliseconds
// before it opens the next unit of work: competing writers spread apart.
// Fake timers make the wait observable without measuring time.
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A store whose first `conflicts` commits lose a race; records each open and dispose. */
function racingStore(conflicts: number) {
  const store = new InMemoryStore();
  const log: string[] = [];
  let commits = 0;
  const uow = (): UnitOfWork => {
    const inner = store.unitOfWork();
    log.push("open");
    return {
      products: inner.products,
      commit: async () => {
        commits += 1;
        if (commits <= conflicts) throw new ConcurrencyConflict("LAMP");
        await inner.commit();
      },
      collectNewEvents: () => inner.collectNewEvents(),
      rollback: () => inner.rollback(),
      [Symbol.asyncDispose]: async () => {
        log.push("dispose");
        await inner[Symbol.asyncDispose]();
      },
    };
  };
  return { store, uow, log };
}

describe("a conflicting attempt rolls back, waits backoff(attempt) ms, then starts again", () => {
  it("the second attempt opens only once the backoff's delay has passed", async () => {
    const { uow, log } = racingStore(1);
    vi.useFakeTimers();
    const done = services.addBatch({ ref: "b1", sku: "LAMP", qty: 1, eta: null }, uow, {
      backoff: () => 50,
    });

    await vi.advanceTimersByTimeAsync(49);
    expect(log.filter((entry) => entry === "open")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(log.filter((entry) => entry === "open")).toHaveLength(2);
  });

  it("the failed attempt's unit of work is disposed (rolled back) before the next opens", async () => {
    const { uow, log } = racingStore(1);
    await services.addBatch({ ref: "b1", sku: "LAMP", qty: 1, eta: null }, uow, {
      backoff: () => 0,
    });
    expect(log.slice(0, 3)).toEqual(["open", "dispose", "open"]);
  });
});

describe("the default backoff is full jitter: random() times min(1000, 2 * 2 ** attempt) ms", () => {
  it("for every attempt and random draw, the delay is the draw scaled by the capped exponential", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, draw) => {
          vi.spyOn(Math, "random").mockReturnValue(draw);
          expect(jitteredBackoff(attempt)).toBe(draw * Math.min(1000, 2 ** (attempt + 1)));
        },
      ),
    );
  });

  it("its ceiling is 4 ms at the first attempt, doubles with each, and stops at one second", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    expect([1, 2, 3, 9, 10, 30].map(jitteredBackoff)).toEqual([2, 4, 8, 500, 500, 500]);
  });
});
