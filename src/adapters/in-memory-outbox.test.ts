import { describe, expect, it } from "vitest";
import { catchRejection } from "../../test/catch-error";
import { InMemoryStore, type OutboxEntry, services } from "../index";

async function storeWithEvents(): Promise<InMemoryStore> {
  const store = new InMemoryStore({ outbox: true });
  const uow = () => store.unitOfWork();
  await services.addBatch({ ref: "l1", sku: "LAMP", qty: 10 }, uow);
  await services.addBatch({ ref: "s1", sku: "SOFA", qty: 10 }, uow);
  for (const [orderid, sku] of [
    ["o1", "LAMP"],
    ["o2", "SOFA"],
    ["o3", "LAMP"],
    ["o4", "SOFA"],
  ] as const) {
    await services.allocate({ orderid, sku, qty: 1 }, uow);
  }
  return store;
}

const label = ({ id, event }: OutboxEntry): string => `${id} ${event.sku} ${event.orderid}`;

describe("the in-memory outbox's relay", () => {
  it("hands out committed events oldest first, at most `limit` a call, each once", async () => {
    const store = await storeWithEvents();
    const seen: string[] = [];
    expect(await store.relay((entry) => void seen.push(label(entry)), { limit: 3 })).toBe(3);
    expect(await store.relay((entry) => void seen.push(label(entry)), { limit: 3 })).toBe(1);
    expect(await store.relay((entry) => void seen.push(label(entry)))).toBe(0);
    expect(seen).toEqual(["1 LAMP o1", "2 SOFA o2", "3 LAMP o3", "4 SOFA o4"]);
  });

  it("an event whose publish throws stays, and its product's later events wait with it; other products go on", async () => {
    const store = await storeWithEvents();
    const seen: string[] = [];
    let lampDown = true;
    const publish = (entry: OutboxEntry) => {
      if (lampDown && entry.event.sku === "LAMP") throw new Error("down");
      seen.push(label(entry));
    };
    expect(await store.relay(publish)).toBe(2);
    expect(seen).toEqual(["2 SOFA o2", "4 SOFA o4"]);
    lampDown = false;
    expect(await store.relay(publish)).toBe(2);
    expect(seen.slice(2)).toEqual(["1 LAMP o1", "3 LAMP o3"]);
  });

  it("overlapping runs never hand out one event twice, nor one product's events to two runs at once", async () => {
    const store = await storeWithEvents();
    const seen: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = store.relay(
      async (entry) => {
        await gate;
        seen.push(`slow ${label(entry)}`);
      },
      { limit: 1 },
    );
    const fast = await store.relay((entry) => void seen.push(`fast ${label(entry)}`));
    release();
    expect(await slow).toBe(1);
    expect(fast).toBe(2);
    expect(seen).toEqual(["fast 2 SOFA o2", "fast 4 SOFA o4", "slow 1 LAMP o1"]);
    expect(await store.relay((entry) => void seen.push(label(entry)))).toBe(1);
    expect(seen.at(-1)).toBe("3 LAMP o3");
  });

  it("refuses a publish that is not a function, a bad limit, and a store kept without an outbox", async () => {
    const store = await storeWithEvents();
    for (const [publish, options] of [
      ["no", {}],
      [() => {}, { limit: 0 }],
      [() => {}, { limit: 1.5 }],
      [() => {}, null],
    ] as const) {
      expect(
        await catchRejection(() => store.relay(publish as never, options as never)),
      ).toMatchObject({
        code: "VALIDATION_ERROR",
      });
    }
    expect(await catchRejection(() => new InMemoryStore().relay(() => {}))).toMatchObject({
      code: "VALIDATION_ERROR",
    });
    expect(() => new InMemoryStore({ outbox: "yes" as never })).toThrow(
      expect.objectContaining({ code: "VALIDATION_ERROR" }),
    );
  });
});
