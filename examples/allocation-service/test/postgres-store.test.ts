// What the PostgreSQL adapter promises beyond the library's contract kit.
import {
  Batch,
  ConcurrencyConflict,
  DuplicateBatch,
  DuplicateProduct,
  OrderLine,
  Product,
  UnitOfWorkClosed,
  ValidationError,
} from "cosmic-allocation";
import { PostgresStore } from "cosmic-allocation/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "../src/database.js";
import { backends, failWithoutPostgresUnderCI, uniqueName } from "./backends.js";

failWithoutPostgresUnderCI();

const outcome = async (action: () => Promise<unknown>): Promise<unknown> => {
  try {
    await action();
    return "ok";
  } catch (error) {
    return error;
  }
};

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(`PostgresStore on ${backend.name}`, () => {
    let database: OpenDatabase;
    let store: PostgresStore;
    beforeAll(async () => {
      database = await backend.open();
      store = new PostgresStore(database.db);
    });
    afterAll(() => database?.close());

    const seed = async (...products: Product[]) => {
      const uow = store.unitOfWork();
      for (const product of products) await uow.products.add(product);
      await uow.commit();
    };
    const read = async (sku: string) => {
      const uow = store.unitOfWork();
      try {
        return (await uow.products.get(sku))?.toJSON();
      } finally {
        await uow.rollback();
      }
    };

    it("keeps batch references unique across products: the commit throws DuplicateBatch", async () => {
      const chair = uniqueName("chair");
      const table = uniqueName("table");
      const ref = `${chair}-b1`;
      await seed(new Product(chair, [new Batch(ref, chair, 10)]));
      const uow = store.unitOfWork();
      await uow.products.add(new Product(table, [new Batch(ref, table, 5)]));
      const error = await outcome(() => uow.commit());
      expect(DuplicateBatch.is(error) && error.reference).toBe(ref);
      expect(await read(table)).toBeUndefined();
    });

    it("applies a commit over several products whole or not at all", async () => {
      const lamp = uniqueName("lamp");
      const desk = uniqueName("desk");
      const taken = `${lamp}-b1`;
      await seed(new Product(lamp, [new Batch(taken, lamp, 10)]));
      const before = await read(lamp);
      const uow = store.unitOfWork();
      (await uow.products.get(lamp))?.allocate(new OrderLine("o1", lamp, 2));
      // Sorted after the lamp, so the lamp's rows are already written when this fails.
      await uow.products.add(new Product(`~${desk}`, [new Batch(taken, `~${desk}`, 1)]));
      expect(DuplicateBatch.is(await outcome(() => uow.commit()))).toBe(true);
      expect(await read(lamp)).toEqual(before);
    });

    it("never deadlocks: of two commits over the same two products one wins, one conflicts", async () => {
      const a = uniqueName("a");
      const b = uniqueName("b");
      await seed(
        new Product(a, [new Batch(`${a}-1`, a, 10)]),
        new Product(b, [new Batch(`${b}-1`, b, 10)]),
      );
      const first = store.unitOfWork();
      const second = store.unitOfWork();
      for (const [uow, order, skus] of [
        [first, "first", [a, b]],
        [second, "second", [b, a]],
      ] as const) {
        for (const sku of skus)
          (await uow.products.get(sku))?.allocate(new OrderLine(order, sku, 1));
      }
      const results = await Promise.all([
        outcome(() => first.commit()),
        outcome(() => second.commit()),
      ]);
      expect(results.filter((result) => result === "ok")).toHaveLength(1);
      expect(results.filter((result) => ConcurrencyConflict.is(result))).toHaveLength(1);
      expect((await read(a))?.versionNumber).toBe(1);
      expect((await read(b))?.versionNumber).toBe(1);
    });

    it("holds no connection while a unit of work is open: 40 at once on a pool of 2 all commit", async () => {
      const small =
        backend.url === undefined
          ? database
          : await openDatabase({ url: backend.url, poolSize: 2 });
      try {
        const narrow = new PostgresStore(small.db);
        const skus = Array.from({ length: 40 }, (_, index) => uniqueName(`pool-${index}`));
        await seed(...skus.map((sku) => new Product(sku, [new Batch(`${sku}-b`, sku, 5)])));
        const units = skus.map(() => narrow.unitOfWork());
        await Promise.all(
          units.map(async (uow, index) => {
            const sku = skus[index] as string;
            (await uow.products.get(sku))?.allocate(new OrderLine("o1", sku, 1));
          }),
        );
        await Promise.all(units.map((uow) => uow.commit()));
        for (const sku of skus.slice(0, 3)) expect((await read(sku))?.versionNumber).toBe(1);
      } finally {
        if (small !== database) await small.close();
      }
    });

    it("stores quantities and versions beyond 32 bits exactly", async () => {
      const sku = uniqueName("bulk");
      const product = new Product(sku, [new Batch(`${sku}-b`, sku, 2 ** 40)], 2 ** 35);
      product.allocate(new OrderLine("o1", sku, 2 ** 33));
      await seed(product);
      expect(await read(sku)).toEqual(product.toJSON());
    });

    it("closes a unit of work whose commit failed: using it again throws UnitOfWorkClosed", async () => {
      const sku = uniqueName("vase");
      await seed(new Product(sku, [new Batch(`${sku}-b`, sku, 10)]));
      const slow = store.unitOfWork();
      (await slow.products.get(sku))?.allocate(new OrderLine("slow", sku, 1));
      const fast = store.unitOfWork();
      (await fast.products.get(sku))?.allocate(new OrderLine("fast", sku, 1));
      await fast.commit();
      expect(ConcurrencyConflict.is(await outcome(() => slow.commit()))).toBe(true);
      expect(UnitOfWorkClosed.is(await outcome(() => slow.products.get(sku)))).toBe(true);
      expect(UnitOfWorkClosed.is(await outcome(() => slow.rollback()))).toBe(true);
      await slow[Symbol.asyncDispose]();
    });

    it("refuses a sku that is already stored, and what is not a Product", async () => {
      const sku = uniqueName("rug");
      await seed(new Product(sku));
      const uow = store.unitOfWork();
      try {
        expect(DuplicateProduct.is(await outcome(() => uow.products.add(new Product(sku))))).toBe(
          true,
        );
        const notAProduct = { sku: "X" } as unknown as Product;
        expect(ValidationError.is(await outcome(() => uow.products.add(notAProduct)))).toBe(true);
        const badKey = 42 as unknown as string;
        expect(ValidationError.is(await outcome(() => uow.products.get(badKey)))).toBe(true);
        expect(ValidationError.is(await outcome(() => uow.products.getByBatchRef("")))).toBe(true);
      } finally {
        await uow.rollback();
      }
    });

    it("commits nothing, and needs no transaction, when nothing changed", async () => {
      const sku = uniqueName("pen");
      await seed(new Product(sku, [new Batch(`${sku}-b`, sku, 10)]));
      const reader = store.unitOfWork();
      await reader.products.get(sku);
      const writer = store.unitOfWork();
      (await writer.products.get(sku))?.allocate(new OrderLine("o1", sku, 1));
      await writer.commit();
      // The reader's copy is stale, but it changed nothing, so there is nothing to conflict.
      await expect(reader.commit()).resolves.toBeUndefined();
    });
  });
}
