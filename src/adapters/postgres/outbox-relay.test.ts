import type { DomainEvent, OutboxEntry, OutOfStockEvent } from "cosmic-allocation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backends,
  failWithoutPostgresUnderCI,
  type TestDatabase,
  uniqueName,
} from "../../../test/postgres/backends";
import { PostgresProductStorage } from "./postgres-product-storage";
import { PostgresStore } from "./postgres-store";
import { ProductCache } from "./product-cache";
import { toDatabase } from "./sql-client";

failWithoutPostgresUnderCI();

const missed = (sku: string, orderid: string): OutOfStockEvent =>
  Object.freeze({ type: "OutOfStock", orderid, sku, qty: 1 });

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(`the outbox relay on ${backend.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.open();
    }, 60_000);
    afterAll(() => database?.close());

    const store = (leaseMs?: number) =>
      new PostgresStore(database.client, leaseMs === undefined ? {} : { relayLeaseMs: leaseMs });
    // Stores events as a commit that changed no stock does (an OutOfStock).
    const commitEvents = async (events: readonly DomainEvent[]) => {
      const storage = new PostgresProductStorage(toDatabase(database.client), new ProductCache(0));
      await storage.save({ products: [], events });
    };
    const drain = async (relayStore: PostgresStore, publish: (entry: OutboxEntry) => unknown) => {
      let total = 0;
      for (;;) {
        const delivered = await relayStore.relay(publish);
        if (delivered === 0) return total;
        total += delivered;
      }
    };

    it("hands every stored event to publish once, each product's in commit order, with unique ids", async () => {
      const [a, b] = [uniqueName("relay-a"), uniqueName("relay-b")];
      await commitEvents([missed(a, "o1"), missed(b, "o1"), missed(a, "o2")]);
      await commitEvents([missed(b, "o2"), missed(a, "o3")]);
      const seen: OutboxEntry[] = [];
      expect(await store().relay((entry) => seen.push(entry))).toBe(5);
      expect(seen.map(({ event }) => `${event.sku === a ? "a" : "b"}:${event.orderid}`)).toEqual([
        "a:o1",
        "b:o1",
        "a:o2",
        "b:o2",
        "a:o3",
      ]);
      expect(new Set(seen.map((entry) => entry.id)).size).toBe(5);
      expect(seen[0]?.event).toEqual(missed(a, "o1"));
      expect(await store().relay((entry) => seen.push(entry))).toBe(0);
    });

    it("hands out at most `limit` events per call, 100 by default", async () => {
      const sku = uniqueName("relay-limit");
      await commitEvents(Array.from({ length: 130 }, (_, index) => missed(sku, `o${index}`)));
      const relayStore = store();
      expect(await relayStore.relay(() => {})).toBe(100);
      expect(await relayStore.relay(() => {}, { limit: 20 })).toBe(20);
      expect(await relayStore.relay(() => {})).toBe(10);
    });

    it("keeps an event whose publish throws, holds back its product's later events, and delivers the rest", async () => {
      const [a, b] = [uniqueName("relay-fail"), uniqueName("relay-ok")];
      await commitEvents([missed(a, "o1"), missed(a, "o2"), missed(b, "o1"), missed(a, "o3")]);
      const seen: string[] = [];
      const broken = new Error("broker down");
      const relayStore = store();
      expect(
        await relayStore.relay(({ event }) => {
          if (event.sku === a && event.orderid === "o2") throw broken;
          seen.push(`${event.sku === a ? "a" : "b"}:${event.orderid}`);
        }),
      ).toBe(2);
      expect(seen).toEqual(["a:o1", "b:o1"]);
      const again: string[] = [];
      expect(await relayStore.relay(({ event }) => again.push(event.orderid))).toBe(2);
      expect(again).toEqual(["o2", "o3"]);
    });

    it("never hands one event to two relays running at once, and keeps each product's order", async () => {
      const skus = [1, 2, 3].map((index) => uniqueName(`relay-race-${index}`));
      const events = Array.from({ length: 240 }, (_, index) =>
        missed(skus[index % 3] as string, `o${String(index).padStart(3, "0")}`),
      );
      for (let index = 0; index < events.length; index += 40) {
        await commitEvents(events.slice(index, index + 40));
      }
      const published: OutboxEntry[] = [];
      const relays = [store(), store(), store(), store()];
      const counts = await Promise.all(
        relays.map((relayStore) =>
          drain(relayStore, async (entry) => {
            published.push(entry);
            // Let the other relays run meanwhile.
            await new Promise((resolve) => setTimeout(resolve, 0));
          }),
        ),
      );
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(240);
      expect(new Set(published.map((entry) => entry.id)).size).toBe(240);
      for (const sku of skus) {
        const orders = published
          .filter(({ event }) => event.sku === sku)
          .map(({ event }) => event.orderid);
        expect(orders).toEqual([...orders].sort());
      }
    });

    it("takes over the events of a relay that died holding them once its lease runs out", async () => {
      const sku = uniqueName("relay-dead");
      await commitEvents([missed(sku, "o1"), missed(sku, "o2")]);
      const shortLease = store(300);
      const firstTaken: string[] = [];
      // The first relay claims both events and never finishes publishing.
      void shortLease.relay(async ({ event }) => {
        firstTaken.push(event.orderid);
        await new Promise(() => {});
      });
      await expect.poll(() => firstTaken.length).toBe(1);
      expect(await shortLease.relay(() => {})).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const second: string[] = [];
      expect(await shortLease.relay(({ event }) => second.push(event.orderid))).toBe(2);
      expect(second).toEqual(["o1", "o2"]);
    });

    it("refuses a publish that is not a function and a limit below 1", async () => {
      await expect(store().relay(42 as never)).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
      await expect(store().relay(() => {}, { limit: 0 })).rejects.toMatchObject({
        code: "VALIDATION_ERROR",
      });
    });
  });
}

describe("a relay's claim", () => {
  const racing = (failures: readonly object[]) => {
    let attempts = 0;
    const client = {
      query: async () => ({ rows: [] }),
      async transaction<T>(
        work: (tx: { query(): Promise<{ rows: unknown[] }> }) => Promise<T>,
      ): Promise<T> {
        const failure = failures[attempts];
        attempts += 1;
        if (failure !== undefined) throw Object.assign(new Error("lost"), failure);
        return work({ query: async () => ({ rows: [] }) });
      },
    };
    return { store: new PostgresStore(client), attempts: () => attempts };
  };

  it("runs again when it loses a serializable race (40001) or a deadlock (40P01)", async () => {
    const { store, attempts } = racing([{ code: "40001" }, { code: "40P01" }]);
    expect(await store.relay(() => {})).toBe(0);
    expect(attempts()).toBe(3);
  });

  it("gives up on any other error, and after ten lost races", async () => {
    await expect(racing([{ code: "57014" }]).store.relay(() => {})).rejects.toMatchObject({
      code: "57014",
    });
    const stubborn = racing(Array.from({ length: 10 }, () => ({ code: "40001" })));
    await expect(stubborn.store.relay(() => {})).rejects.toMatchObject({ code: "40001" });
    expect(stubborn.attempts()).toBe(10);
  });
});
