import {
  createMessageBus,
  type DomainEvent,
  InMemoryStore,
  type OutboxEntry,
  services,
} from "cosmic-allocation";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScheduledStore } from "./scheduled-store";

// Random commands sent concurrently through one bus whose every repository
// call and commit is a task of fast-check's scheduler, with subscribers that
// record, fail, or send commands of their own. Whatever the interleaving:
// every committed event reaches every subscriber exactly once, before the
// command that caused it settles; a failing subscriber changes nothing for
// the others; and the read model equals what the aggregates hold.

const skus = ["LAMP", "SOFA"] as const;
const command = fc.oneof(
  fc.record({
    type: fc.constant("CreateBatch" as const),
    ref: fc.constantFrom("b1", "b2", "b3"),
    sku: fc.constantFrom(...skus),
    qty: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({
    type: fc.constant("Allocate" as const),
    sku: fc.constantFrom(...skus),
    qty: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    type: fc.constant("ChangeBatchQuantity" as const),
    ref: fc.constantFrom("b1", "b2", "b3"),
    qty: fc.integer({ min: 0, max: 5 }),
  }),
);

const key = (event: DomainEvent): string => JSON.stringify(event);

describe("the message bus under concurrency, against the store's own record of events", () => {
  it("every committed event reaches every subscriber once, before its command settles, whatever fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(command, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (s, commands, restockOnOutOfStock) => {
          const store = new InMemoryStore({ outbox: true });
          const scheduled = new ScheduledStore(store, s);
          const errors: unknown[] = [];
          const bus = createMessageBus({
            uow: scheduled.factoryFor("bus"),
            onError: (error) => errors.push(error),
            backoff: () => 0,
            retries: 50,
          });
          const recorder: string[] = [];
          const second: string[] = [];
          bus.subscribe("Allocated", (event) => void recorder.push(key(event)));
          bus.subscribe("Deallocated", (event) => void recorder.push(key(event)));
          bus.subscribe("OutOfStock", (event) => void recorder.push(key(event)));
          bus.subscribe("Allocated", () => {
            throw new Error("a failing subscriber");
          });
          bus.subscribe("Allocated", (event) => void second.push(key(event)));
          if (restockOnOutOfStock) {
            bus.subscribe("OutOfStock", (event, { send }) =>
              send({
                type: "CreateBatch",
                ref: `restock-${event.orderid}`,
                sku: event.sku,
                qty: event.qty,
              }),
            );
          }
          const settledWith = await s.waitFor(
            Promise.all(
              commands.map(async (message, index) => {
                const sent =
                  message.type === "Allocate" ? { ...message, orderid: `o${index}` } : message;
                try {
                  await bus.handle(sent);
                } catch {
                  // Domain errors (OutOfStock, DuplicateBatch, ...) are the caller's; the laws are about events.
                }
                // What the subscriber had seen when this command settled.
                return {
                  orderid: message.type === "Allocate" ? `o${index}` : undefined,
                  seen: [...recorder],
                };
              }),
            ),
          );

          const committed: string[] = [];
          await store.relay((entry: OutboxEntry) => void committed.push(key(entry.event)), {
            limit: 10_000,
          });
          expect([...recorder].sort()).toEqual([...committed].sort());
          expect(second).toEqual(recorder.filter((event) => event.includes('"Allocated"')));
          for (const { orderid, seen } of settledWith) {
            if (orderid === undefined) continue;
            const own = committed.filter((event) => event.includes(`"orderid":"${orderid}"`));
            // Its Allocated or OutOfStock, from its own commit, was seen before it settled.
            const first = own[0];
            if (first !== undefined) expect(seen).toContain(first);
          }
          expect(errors.length).toBe(
            recorder.filter((event) => event.includes('"Allocated"')).length,
          );

          for (const [index] of commands.entries()) {
            const orderid = `o${index}`;
            const view = await store.allocationsFor(orderid);
            await using uow = store.unitOfWork();
            const held = (await uow.products.getByOrder(orderid)).flatMap((product) =>
              product.linesOf(orderid).map(({ line, batchref }) => ({ sku: line.sku, batchref })),
            );
            expect(view).toEqual(held);
          }
          expect(
            await services.deallocateOrder({ orderid: "none" }, () => store.unitOfWork()),
          ).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 100) },
    );
  });
});
