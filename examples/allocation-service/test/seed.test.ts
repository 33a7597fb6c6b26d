import { PostgresStore } from "cosmic-allocation/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "../src/database.js";
import { demoBatches, seedDemoData } from "../src/seed.js";

describe("the demo stock", () => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await openDatabase();
  });
  afterAll(() => database?.close());

  it("is added once: a restart on a kept database skips what is already there", async () => {
    const store = new PostgresStore(database.db);
    const uow = () => store.unitOfWork();
    expect(await seedDemoData(uow)).toBe(demoBatches().length);
    expect(await seedDemoData(uow)).toBe(0);
    const check = uow();
    const table = await check.products.get("SMALL-TABLE");
    await check.rollback();
    expect(table?.batches.map((batch) => [batch.reference, batch.eta === null])).toEqual([
      ["warehouse-table-1", true],
      ["ship-table-1", false],
    ]);
  });

  it("arrives in the future, whenever the demo runs", () => {
    const now = new Date("2030-06-01T12:00:00Z");
    for (const { eta } of demoBatches(now)) {
      if (eta !== null) expect(new Date(eta).getTime()).toBeGreaterThan(now.getTime());
    }
  });
});
