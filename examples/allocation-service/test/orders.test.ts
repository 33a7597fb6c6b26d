// Orders over HTTP: all or nothing, releasing an order, and the read model
// (the book's chapter 12 endpoint), end to end on each database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningService, startService } from "../src/service.js";
import { backends, failWithoutPostgresUnderCI, uniqueName } from "./backends.js";

failWithoutPostgresUnderCI();

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(`orders over HTTP on ${backend.name}`, () => {
    let service: RunningService;
    beforeAll(async () => {
      service = await startService({ databaseUrl: backend.url, port: 0 });
    });
    afterAll(() => service?.close());

    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as unknown,
      };
    };
    const stock = async (ref: string, sku: string, qty: number) =>
      expect((await call("POST", "/batches", { ref, sku, qty, eta: null })).status).toBe(201);
    const names = () => {
      const lamp = uniqueName("lamp");
      const sofa = uniqueName("sofa");
      return { lamp, sofa, order: uniqueName("order").toLowerCase() };
    };

    it("POST /orders allocates every line and answers 201 with the batch of each line", async () => {
      const { lamp, sofa, order } = names();
      await stock(`${lamp}-b`, lamp, 10);
      await stock(`${sofa}-b`, sofa, 2);
      const response = await call("POST", "/orders", {
        orderid: order,
        lines: [
          { sku: lamp, qty: 3 },
          { sku: sofa, qty: 1 },
        ],
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        orderid: order,
        lines: [
          { sku: lamp, qty: 3, batchref: `${lamp}-b` },
          { sku: sofa, qty: 1, batchref: `${sofa}-b` },
        ],
      });
      const view = await call("GET", `/allocations/${encodeURIComponent(order)}`);
      expect(view.status).toBe(200);
      expect(view.body).toEqual([
        { sku: lamp, batchref: `${lamp}-b` },
        { sku: sofa, batchref: `${sofa}-b` },
      ]);
    });

    it("an order that cannot be allocated whole answers 400 with the short lines, and allocates nothing", async () => {
      const { lamp, sofa, order } = names();
      await stock(`${lamp}-b`, lamp, 10);
      await stock(`${sofa}-b`, sofa, 1);
      const unknown = uniqueName("nope");
      const response = await call("POST", "/orders", {
        orderid: order,
        lines: [
          { sku: lamp, qty: 3 },
          { sku: sofa, qty: 2 },
          { sku: unknown, qty: 1 },
        ],
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        shortLines: [{ sku: sofa, qty: 2, available: 1 }],
        unknownSkus: [unknown],
      });
      expect((response.body as { message: string }).message).toContain(
        `Order ${order} not allocated`,
      );
      expect((await call("GET", `/allocations/${encodeURIComponent(order)}`)).body).toEqual([]);
      const product = await call("GET", `/products/${lamp}`);
      expect((product.body as { version: number }).version).toBe(1);
    });

    it("DELETE /orders/:orderid releases every line, and the view empties", async () => {
      const { lamp, sofa, order } = names();
      await stock(`${lamp}-b`, lamp, 10);
      await stock(`${sofa}-b`, sofa, 2);
      const lines = [
        { sku: lamp, qty: 3 },
        { sku: sofa, qty: 2 },
      ];
      expect((await call("POST", "/orders", { orderid: order, lines })).status).toBe(201);
      const released = await call("DELETE", `/orders/${encodeURIComponent(order)}`);
      expect(released.status).toBe(200);
      expect((released.body as { released: unknown[] }).released).toHaveLength(2);
      expect((await call("GET", `/allocations/${encodeURIComponent(order)}`)).body).toEqual([]);
      // The stock is back: the same order fits again.
      expect((await call("POST", "/orders", { orderid: order, lines })).status).toBe(201);
    });

    it("an unknown order has no allocations and releasing it changes nothing", async () => {
      const { order } = names();
      expect(await call("GET", `/allocations/${order}`)).toMatchObject({ status: 200, body: [] });
      expect(await call("DELETE", `/orders/${order}`)).toMatchObject({
        status: 200,
        body: { orderid: order, released: [] },
      });
    });

    it("bad orders are 400s with a message, before anything is allocated", async () => {
      const { lamp, order } = names();
      for (const body of [
        { orderid: order, lines: [] },
        { orderid: order, lines: "LAMP" },
        { orderid: "   ", lines: [{ sku: lamp, qty: 1 }] },
        { orderid: order, lines: [{ sku: lamp, qty: 0 }] },
        {
          orderid: order,
          lines: [
            { sku: lamp, qty: 1 },
            { sku: lamp, qty: 2 },
          ],
        },
        { orderid: order, lines: [{ sku: "\ud800", qty: 1 }] },
      ]) {
        const response = await call("POST", "/orders", body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body).toHaveProperty("message");
      }
      const wrongMethod = await call("PUT", "/orders");
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get("allow")).toBe("POST");
    });
  });
}
