import {
  Batch,
  ConcurrencyConflict,
  OrderLine,
  Product,
  type ProductJSON,
  type UnitOfWork,
  UnitOfWorkClosed,
  type UnitOfWorkFactory,
} from "cosmic-allocation";
import { ContractViolation } from "./contract-violation";

/**
 * One named check of the unit-of-work contract.
 *
 * @example
 * ```ts
 * import { InMemoryStore } from "cosmic-allocation";
 * import { type ContractCheck, unitOfWorkContract } from "cosmic-allocation/testing";
 *
 * const checks: readonly ContractCheck[] = unitOfWorkContract(() => {
 *   const store = new InMemoryStore();
 *   return () => store.unitOfWork();
 * });
 * const failed: string[] = [];
 * for (const check of checks) await check.run().catch(() => failed.push(check.name));
 * console.log(failed); // []
 * ```
 */
export interface ContractCheck {
  /** What the check pins, as a sentence: use it as the test's name. */
  readonly name: string;
  /** Runs the check; rejects with a {@link ContractViolation} (or the adapter's own error) when it fails. */
  readonly run: () => Promise<void>;
}

/**
 * The port contract that any unit-of-work adapter must pass (over PostgreSQL,
 * DynamoDB, IndexedDB, ...): the book's chapter 6 semantics plus optimistic
 * concurrency. Runner-agnostic: each check is a named async function that
 * rejects when the adapter breaks a rule, so it plugs into vitest, jest,
 * `node:test` or mocha alike.
 *
 * Each check calls `makeFactory` once and uses skus and batch references of
 * its own, so checks may share one database and run in any order.
 *
 * @param makeFactory - returns the factory of the adapter under test; called once per check
 * @returns the checks, each with a name and a `run` function
 *
 * @example
 * ```ts
 * import { InMemoryStore } from "cosmic-allocation";
 * import { unitOfWorkContract } from "cosmic-allocation/testing";
 *
 * // In a test file: for (const check of checks) it(check.name, check.run);
 * const checks = unitOfWorkContract(() => {
 *   const store = new InMemoryStore();
 *   return () => store.unitOfWork();
 * });
 * for (const check of checks) await check.run();
 * console.log(checks.length > 0); // true
 * ```
 */
export function unitOfWorkContract(
  makeFactory: () => UnitOfWorkFactory | Promise<UnitOfWorkFactory>,
): readonly ContractCheck[] {
  if (typeof makeFactory !== "function") {
    throw new TypeError("unitOfWorkContract needs a function that returns a unit-of-work factory");
  }
  return checks.map((check) => ({
    name: check.name,
    run: async () => check.run(await makeFactory(), new Names(check.name)),
  }));
}

/** Unique skus and references per check run, so that checks can share a database. */
class Names {
  readonly #prefix: string;

  constructor(check: string) {
    runs += 1;
    const slug = check.replace(/[^a-z0-9]+/gi, "-").slice(0, 24);
    this.#prefix = `contract-${slug}-${Date.now().toString(36)}-${runs}-${Math.random().toString(36).slice(2, 8)}`;
  }

  sku(name: string): string {
    return `${this.#prefix}-${name}`.toUpperCase();
  }

  ref(name: string): string {
    return `${this.#prefix}-${name}`;
  }

  /** A new product of this check's sku `name`, with one warehouse batch "b1" of 20. */
  product(name: string): Product {
    const sku = this.sku(name);
    return new Product(sku, [new Batch(this.ref("b1"), sku, 20)]);
  }
}

let runs = 0;

// Browsers without explicit resource management lack Symbol.asyncDispose; adapters then
// define the method under the registered symbol that downlevelled `await using` looks up.
/* v8 ignore start -- @preserve: every supported Node.js has Symbol.asyncDispose; the fallback is for browsers */
const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for("Symbol.asyncDispose") as typeof Symbol.asyncDispose);
/* v8 ignore stop -- @preserve */

interface Check {
  readonly name: string;
  readonly run: (factory: UnitOfWorkFactory, names: Names) => Promise<void>;
}

async function open(factory: UnitOfWorkFactory): Promise<UnitOfWork> {
  return factory();
}

async function seed(factory: UnitOfWorkFactory, product: Product): Promise<void> {
  const uow = await open(factory);
  await uow.products.add(product);
  await uow.commit();
}

async function read(factory: UnitOfWorkFactory, sku: string): Promise<ProductJSON | undefined> {
  const uow = await open(factory);
  try {
    return (await uow.products.get(sku))?.toJSON();
  } finally {
    await uow.rollback();
  }
}

function expectSame(check: string, what: string, actual: unknown, expected: unknown): void {
  const seen = JSON.stringify(actual);
  const wanted = JSON.stringify(expected);
  if (seen !== wanted)
    throw new ContractViolation(check, `${what}: expected ${wanted}, got ${seen}`);
}

function fail(check: string, detail: string): never {
  throw new ContractViolation(check, detail);
}

async function outcomeOf(action: () => Promise<unknown>): Promise<"ok" | unknown> {
  try {
    await action();
    return "ok";
  } catch (error) {
    return error;
  }
}

const checks: readonly Check[] = [
  {
    name: "a commit persists the products added in the unit of work",
    async run(factory, names) {
      const name = "chair";
      const sku = names.sku(name);
      const product = names.product(name);
      const expected = product.toJSON();
      await seed(factory, product);
      expectSame(this.name, "the product read back", await read(factory, sku), expected);
    },
  },
  {
    name: "nothing persists without a commit: leaving a unit of work rolls it back",
    async run(factory, names) {
      const name = "lamp";
      const sku = names.sku(name);
      const uow = await open(factory);
      await uow.products.add(names.product(name));
      await uow[asyncDispose]();
      expectSame(this.name, "the product after dispose", await read(factory, sku), undefined);
    },
  },
  {
    name: "an explicit rollback discards changes to an existing product",
    async run(factory, names) {
      const name = "table";
      const sku = names.sku(name);
      const product = names.product(name);
      const expected = product.toJSON();
      await seed(factory, product);
      const uow = await open(factory);
      (await uow.products.get(sku))?.allocate(new OrderLine("o1", sku, 5));
      await uow.rollback();
      expectSame(this.name, "the product after rollback", await read(factory, sku), expected);
    },
  },
  {
    name: "an error inside a unit of work rolls it back and still propagates",
    async run(factory, names) {
      const name = "desk";
      const sku = names.sku(name);
      const failure = new Error("boom");
      const seen = await outcomeOf(async () => {
        const uow = await open(factory);
        try {
          await uow.products.add(names.product(name));
          throw failure;
        } finally {
          await uow[asyncDispose]();
        }
      });
      if (seen !== failure) fail(this.name, "the error did not propagate unchanged");
      expectSame(this.name, "the product after the error", await read(factory, sku), undefined);
    },
  },
  {
    name: "uncommitted work is invisible to other units of work",
    async run(factory, names) {
      const name = "sofa";
      const sku = names.sku(name);
      const product = names.product(name);
      const expected = product.toJSON();
      await seed(factory, product);
      const writer = await open(factory);
      (await writer.products.get(sku))?.allocate(new OrderLine("o1", sku, 5));
      await writer.products.add(new Product(names.sku("new"), []));
      expectSame(
        this.name,
        "the product seen by another unit of work",
        await read(factory, sku),
        expected,
      );
      expectSame(
        this.name,
        "a product added but not committed",
        await read(factory, names.sku("new")),
        undefined,
      );
      await writer.commit();
      const after = await read(factory, sku);
      expectSame(this.name, "the allocation after commit", after?.batches[0]?.allocations, [
        { orderid: "o1", sku, qty: 5 },
      ]);
    },
  },
  {
    name: "get returns the same object for a sku within one unit of work",
    async run(factory, names) {
      const name = "rug";
      const sku = names.sku(name);
      await seed(factory, names.product(name));
      const uow = await open(factory);
      try {
        const first = await uow.products.get(sku);
        first?.allocate(new OrderLine("o1", sku, 5));
        const second = await uow.products.get(sku);
        if (first === undefined || first !== second)
          fail(this.name, "a second get returned another object");
        const byRef = await uow.products.getByBatchRef(names.ref("b1"));
        if (byRef !== first) fail(this.name, "getByBatchRef returned another object than get");
      } finally {
        await uow.rollback();
      }
    },
  },
  {
    name: "version numbers are stored and read back exactly",
    async run(factory, names) {
      const sku = names.sku("pen");
      await seed(factory, new Product(sku, [new Batch(names.ref("b1"), sku, 20)], 7));
      expectSame(
        this.name,
        "the version after creation",
        (await read(factory, sku))?.versionNumber,
        7,
      );
      const uow = await open(factory);
      const product = await uow.products.get(sku);
      product?.allocate(new OrderLine("o1", sku, 1));
      product?.allocate(new OrderLine("o2", sku, 1));
      await uow.commit();
      expectSame(
        this.name,
        "the version after two allocations",
        (await read(factory, sku))?.versionNumber,
        9,
      );
    },
  },
  {
    name: "of two concurrent conflicting commits exactly one wins and nothing is lost",
    async run(factory, names) {
      const sku = names.sku("clock");
      await seed(factory, new Product(sku, [new Batch(names.ref("b1"), sku, 10)], 3));
      const first = await open(factory);
      const second = await open(factory);
      const mine = await first.products.get(sku);
      const theirs = await second.products.get(sku);
      mine?.allocate(new OrderLine("o1", sku, 6));
      theirs?.allocate(new OrderLine("o2", sku, 6));
      const outcomes = await Promise.all([
        outcomeOf(() => first.commit()),
        outcomeOf(() => second.commit()),
      ]);
      await Promise.all([
        outcomeOf(() => first[asyncDispose]()),
        outcomeOf(() => second[asyncDispose]()),
      ]);
      const wins = outcomes.filter((outcome) => outcome === "ok").length;
      const conflicts = outcomes.filter((outcome) => ConcurrencyConflict.is(outcome)).length;
      if (wins !== 1 || conflicts !== 1) {
        fail(
          this.name,
          `expected one commit and one ConcurrencyConflict, got ${wins} commits and ${conflicts} conflicts (${outcomes.map(String).join("; ")})`,
        );
      }
      const after = await read(factory, sku);
      expectSame(this.name, "the version after the race", after?.versionNumber, 4);
      const lines = after?.batches[0]?.allocations.map((line) => line.orderid);
      expectSame(this.name, "how many allocations the race left", lines?.length, 1);
    },
  },
  {
    name: "a commit over a product another unit of work changed since it was read throws ConcurrencyConflict and applies nothing",
    async run(factory, names) {
      const sku = names.sku("vase");
      const other = names.sku("bowl");
      await seed(factory, new Product(sku, [new Batch(names.ref("b1"), sku, 10)]));
      const slow = await open(factory);
      // The new product comes first, so an adapter that writes as it goes has written it
      // before it meets the conflict.
      await slow.products.add(new Product(other, [new Batch(names.ref("b2"), other, 5)]));
      const stale = await slow.products.get(sku);
      stale?.allocate(new OrderLine("slow", sku, 2));
      const fast = await open(factory);
      (await fast.products.get(sku))?.allocate(new OrderLine("fast", sku, 3));
      await fast.commit();
      const outcome = await outcomeOf(() => slow.commit());
      await outcomeOf(() => slow[asyncDispose]());
      if (!ConcurrencyConflict.is(outcome))
        fail(this.name, `expected ConcurrencyConflict, got ${String(outcome)}`);
      const after = await read(factory, sku);
      expectSame(
        this.name,
        "the allocations kept",
        after?.batches[0]?.allocations.map((line) => line.orderid),
        ["fast"],
      );
      expectSame(
        this.name,
        "the product the failed commit added",
        await read(factory, other),
        undefined,
      );
    },
  },
  {
    name: "of two units of work that create the same sku exactly one commits",
    async run(factory, names) {
      const sku = names.sku("mirror");
      const first = await open(factory);
      const second = await open(factory);
      await first.products.add(new Product(sku, [new Batch(names.ref("b1"), sku, 1)]));
      await second.products.add(new Product(sku, [new Batch(names.ref("b2"), sku, 2)]));
      const outcomes = await Promise.all([
        outcomeOf(() => first.commit()),
        outcomeOf(() => second.commit()),
      ]);
      await Promise.all([
        outcomeOf(() => first[asyncDispose]()),
        outcomeOf(() => second[asyncDispose]()),
      ]);
      const wins = outcomes.filter((outcome) => outcome === "ok").length;
      if (wins !== 1 || !outcomes.some((outcome) => ConcurrencyConflict.is(outcome))) {
        fail(
          this.name,
          `expected one commit and one ConcurrencyConflict, got ${outcomes.map(String).join("; ")}`,
        );
      }
      const batches = (await read(factory, sku))?.batches.length;
      expectSame(this.name, "the batches of the winner", batches, 1);
    },
  },
  {
    name: "getByBatchRef finds the product of any of its batches, committed or added in the same unit of work",
    async run(factory, names) {
      const sku = names.sku("stool");
      await seed(
        factory,
        new Product(sku, [new Batch(names.ref("b1"), sku, 1), new Batch(names.ref("b2"), sku, 1)]),
      );
      const uow = await open(factory);
      try {
        expectSame(
          this.name,
          "the product of b2",
          (await uow.products.getByBatchRef(names.ref("b2")))?.sku,
          sku,
        );
        expectSame(
          this.name,
          "an unknown reference",
          await uow.products.getByBatchRef(names.ref("nope")),
          undefined,
        );
        const fresh = names.sku("fresh");
        await uow.products.add(new Product(fresh, [new Batch(names.ref("b3"), fresh, 1)]));
        expectSame(
          this.name,
          "a batch added in this unit of work",
          (await uow.products.getByBatchRef(names.ref("b3")))?.sku,
          fresh,
        );
        expectSame(
          this.name,
          "an unknown sku",
          await uow.products.get(names.sku("unknown")),
          undefined,
        );
      } finally {
        await uow.rollback();
      }
    },
  },
  {
    name: "allocations, quantities, etas and the order of batches and lines round-trip exactly",
    async run(factory, names) {
      const sku = names.sku("shelf");
      const product = new Product(sku, [
        new Batch(names.ref("late"), sku, 10, new Date("2027-03-01T10:30:00.000Z")),
        new Batch(names.ref("tie"), sku, 10, new Date("2027-03-01T10:30:00.000Z")),
        new Batch(names.ref("warehouse"), sku, 5),
        new Batch(names.ref("soon"), sku, 1_000_000, new Date("2026-12-24T00:00:00.000Z")),
      ]);
      for (const [orderid, qty] of [
        ["o3", 5],
        ["o1", 8],
        ["o2", 7],
        ["o4", 3],
        ["o5", 999_980],
      ] as const) {
        product.allocate(new OrderLine(orderid, sku, qty));
      }
      const expected = product.toJSON();
      await seed(factory, product);
      expectSame(this.name, "the stored product", await read(factory, sku), expected);
      const uow = await open(factory);
      const copy = await uow.products.get(sku);
      const next = copy?.allocate(new OrderLine("o6", sku, 10));
      await uow.rollback();
      expectSame(this.name, "where the next line goes after a round trip", next, names.ref("late"));
    },
  },
  {
    name: "a closed unit of work refuses further use",
    async run(factory, names) {
      const sku = names.sku("bench");
      const uow = await open(factory);
      await uow.products.add(new Product(sku, []));
      await uow.commit();
      for (const [what, action] of [
        ["get", () => uow.products.get(sku)],
        ["commit", () => uow.commit()],
      ] as const) {
        const outcome = await outcomeOf(action);
        if (!UnitOfWorkClosed.is(outcome))
          fail(
            this.name,
            `${what} after commit: expected UnitOfWorkClosed, got ${String(outcome)}`,
          );
      }
      const disposed = await outcomeOf(() => uow[asyncDispose]());
      if (disposed !== "ok")
        fail(this.name, `dispose after commit must be a no-op, got ${String(disposed)}`);
    },
  },
  {
    name: "a commit hands out the new events of every product it touched, in the order recorded, once",
    async run(factory, names) {
      const lamp = names.sku("ev-lamp");
      const sofa = names.sku("ev-sofa");
      await seed(factory, new Product(lamp, [new Batch(names.ref("l1"), lamp, 10)]));
      await seed(factory, new Product(sofa, [new Batch(names.ref("s1"), sofa, 1)]));
      const uow = await open(factory);
      const first = await uow.products.get(lamp);
      const second = await uow.products.get(sofa);
      first?.allocate(new OrderLine("o1", lamp, 1));
      second?.allocate(new OrderLine("o1", sofa, 1));
      first?.allocate(new OrderLine("o2", lamp, 1));
      await outcomeOf(async () => second?.allocate(new OrderLine("o2", sofa, 1)));
      await uow.commit();
      const events = uow
        .collectNewEvents()
        .map((event) => `${event.type} ${event.sku} ${event.orderid}`);
      expectSame(this.name, "the events", events, [
        `Allocated ${lamp} o1`,
        `Allocated ${sofa} o1`,
        `Allocated ${lamp} o2`,
        `OutOfStock ${sofa} o2`,
      ]);
      expectSame(this.name, "the events on a second call", uow.collectNewEvents(), []);
    },
  },
  {
    name: "a rolled-back unit of work yields no events",
    async run(factory, names) {
      const sku = names.sku("ev-rug");
      await seed(factory, names.product("ev-rug"));
      const uow = await open(factory);
      (await uow.products.get(sku))?.allocate(new OrderLine("o1", sku, 1));
      await uow.rollback();
      expectSame(this.name, "the events", uow.collectNewEvents(), []);
    },
  },
  {
    name: "getByOrder finds every product holding a line of an order, committed or placed in the same unit of work",
    async run(factory, names) {
      const lamp = names.sku("ord-lamp");
      const sofa = names.sku("ord-sofa");
      const vase = names.sku("ord-vase");
      for (const sku of [lamp, sofa, vase]) {
        await seed(factory, new Product(sku, [new Batch(`${names.ref("b")}-${sku}`, sku, 20)]));
      }
      const orderid = names.ref("order");
      const setup = await open(factory);
      (await setup.products.get(lamp))?.allocate(new OrderLine(orderid, lamp, 1));
      (await setup.products.get(sofa))?.allocate(new OrderLine(orderid, sofa, 2));
      await setup.commit();
      const uow = await open(factory);
      try {
        const found = await uow.products.getByOrder(orderid);
        expectSame(
          this.name,
          "the products of the order",
          found.map((product) => product.sku),
          [lamp, sofa].sort(),
        );
        const again = await uow.products.get(lamp);
        if (again !== found[found.findIndex((product) => product.sku === lamp)])
          fail(this.name, "getByOrder returned another object than get");
        (await uow.products.get(vase))?.allocate(new OrderLine(orderid, vase, 1));
        (await uow.products.get(sofa))?.deallocate(new OrderLine(orderid, sofa, 2));
        const now = await uow.products.getByOrder(orderid);
        expectSame(
          this.name,
          "after changes in this unit of work",
          now.map((product) => product.sku),
          [lamp, vase].sort(),
        );
        expectSame(
          this.name,
          "an unknown order",
          await uow.products.getByOrder(names.ref("nobody")),
          [],
        );
      } finally {
        await uow.rollback();
      }
    },
  },
];
