// The book's end-to-end API tests (chapters 4 to 6, test_api.py), ported, plus
// the error contract of this service: bad input is a 4xx with { message }.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningService, startService } from "../src/service.js";
import { backends, failWithoutPostgresUnderCI, uniqueName } from "./backends.js";

failWithoutPostgresUnderCI();

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(`the HTTP API on ${backend.name}`, () => {
    let service: RunningService;
    beforeAll(async () => {
      service = await startService({ databaseUrl: backend.url, port: 0 });
    });
    afterAll(() => service?.close());

    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        type: response.headers.get("content-type"),
        headers: response.headers,
        body: JSON.parse(text) as Record<string, unknown>,
      };
    };
    const post = (path: string, body: unknown) => call("POST", path, body);
    const addStock = async (batches: [string, string, number, string | null][]) => {
      for (const [ref, sku, qty, eta] of batches) {
        expect((await post("/batches", { ref, sku, qty, eta })).status).toBe(201);
      }
    };
    const names = () => {
      const sku = uniqueName("sku");
      return {
        sku,
        otherSku: uniqueName("other"),
        ref: (label: string) => `${sku}-${label}`.toLowerCase(),
        order: (label: string) => `${sku}-${label}`.toLowerCase(),
      };
    };

    it("the happy path returns 201 and the allocated batch, the one with the earliest eta", async () => {
      const { sku, otherSku, ref, order } = names();
      await addStock([
        [ref("later"), sku, 100, "2011-01-02"],
        [ref("early"), sku, 100, "2011-01-01"],
        [ref("other"), otherSku, 100, null],
      ]);
      const response = await post("/allocate", { orderid: order("1"), sku, qty: 3 });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ batchref: ref("early") });
    });

    it("prefers stock in the warehouse to a shipment", async () => {
      const { sku, ref, order } = names();
      await addStock([
        [ref("ship"), sku, 100, "2011-01-01"],
        [ref("warehouse"), sku, 100, null],
      ]);
      const response = await post("/allocate", { orderid: order("1"), sku, qty: 3 });
      expect(response.body).toEqual({ batchref: ref("warehouse") });
    });

    it("the unhappy path returns 400 and the error message: Invalid sku", async () => {
      const { sku, order } = names();
      const response = await post("/allocate", { orderid: order("1"), sku, qty: 20 });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ message: `Invalid sku ${sku}` });
    });

    it("returns 400 when the line is out of stock", async () => {
      const { sku, ref, order } = names();
      await addStock([[ref("small"), sku, 10, "2011-01-01"]]);
      const response = await post("/allocate", { orderid: order("1"), sku, qty: 20 });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ message: `Out of stock for sku ${sku}` });
    });

    it("persists allocations across requests", async () => {
      const { sku, ref, order } = names();
      await addStock([
        [ref("1"), sku, 10, "2011-01-01"],
        [ref("2"), sku, 10, "2011-01-02"],
      ]);
      expect((await post("/allocate", { orderid: order("1"), sku, qty: 10 })).body).toEqual({
        batchref: ref("1"),
      });
      expect((await post("/allocate", { orderid: order("2"), sku, qty: 10 })).body).toEqual({
        batchref: ref("2"),
      });
    });

    it("deallocates a line, and the stock it freed can be allocated again", async () => {
      const { sku, ref, order } = names();
      await addStock([[ref("only"), sku, 100, "2011-01-02"]]);
      expect((await post("/allocate", { orderid: order("1"), sku, qty: 100 })).status).toBe(201);
      expect((await post("/allocate", { orderid: order("2"), sku, qty: 100 })).status).toBe(400);
      const freed = await post("/deallocate", { orderid: order("1"), sku, qty: 100 });
      expect(freed).toMatchObject({ status: 200, body: { batchref: ref("only") } });
      const again = await post("/allocate", { orderid: order("2"), sku, qty: 100 });
      expect(again).toMatchObject({ status: 201, body: { batchref: ref("only") } });
    });

    it("allocating the same line twice is a no-op that returns its batch", async () => {
      const { sku, ref, order } = names();
      await addStock([[ref("only"), sku, 10, null]]);
      const line = { orderid: order("1"), sku, qty: 4 };
      expect((await post("/allocate", line)).body).toEqual({ batchref: ref("only") });
      expect((await post("/allocate", line)).body).toEqual({ batchref: ref("only") });
      const product = await call("GET", `/products/${sku}`);
      expect(product.body).toMatchObject({ version: 2, batches: [{ available: 6 }] });
    });

    it("shows a product: its batches in order, their allocations, and its version", async () => {
      const { sku, ref, order } = names();
      await addStock([
        [ref("ship"), sku, 20, "2027-03-01T10:30:00.000Z"],
        [ref("warehouse"), sku, 5, null],
      ]);
      await post("/allocate", { orderid: order("1"), sku, qty: 4 });
      await post("/allocate", { orderid: order("2"), sku, qty: 3 });
      const response = await call("GET", `/products/${sku}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        sku,
        version: 4,
        batches: [
          {
            ref: ref("ship"),
            sku,
            qty: 20,
            eta: "2027-03-01T10:30:00.000Z",
            allocated: 3,
            available: 17,
            allocations: [{ orderid: order("2"), sku, qty: 3 }],
          },
          {
            ref: ref("warehouse"),
            sku,
            qty: 5,
            eta: null,
            allocated: 4,
            available: 1,
            allocations: [{ orderid: order("1"), sku, qty: 4 }],
          },
        ],
      });
      expect((await call("GET", `/products/${uniqueName("nope")}`)).status).toBe(404);
    });

    it("changes a batch's quantity and reports the lines that moved or lost their stock", async () => {
      const { sku, ref, order } = names();
      await addStock([
        [ref("warehouse"), sku, 10, null],
        [ref("ship"), sku, 5, "2027-01-01"],
      ]);
      await post("/allocate", { orderid: order("1"), sku, qty: 6 });
      await post("/allocate", { orderid: order("2"), sku, qty: 4 });
      await post("/allocate", { orderid: order("3"), sku, qty: 5 });
      const response = await call("PATCH", `/batches/${ref("warehouse")}`, { qty: 5 });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ref: ref("warehouse"),
        moved: [],
        // Both lines leave the batch; re-allocated oldest first, order 1 (6) fits
        // nowhere, and order 2 (4) fits back into the smaller batch.
        unallocated: [{ orderid: order("1"), sku, qty: 6 }],
      });
      const grown = await call("PATCH", `/batches/${ref("ship")}`, { qty: 9 });
      expect(grown.body).toEqual({ ref: ref("ship"), moved: [], unallocated: [] });
      const smaller = await call("PATCH", `/batches/${ref("ship")}`, { qty: 5 });
      expect(smaller.body).toEqual({ ref: ref("ship"), moved: [], unallocated: [] });
    });

    it("moves a released line to another batch when one can take it", async () => {
      const { sku, ref, order } = names();
      await addStock([
        [ref("warehouse"), sku, 10, null],
        [ref("ship"), sku, 10, "2027-01-01"],
      ]);
      await post("/allocate", { orderid: order("1"), sku, qty: 6 });
      await post("/allocate", { orderid: order("2"), sku, qty: 4 });
      const response = await call("PATCH", `/batches/${ref("warehouse")}`, { qty: 6 });
      expect(response.body).toEqual({
        ref: ref("warehouse"),
        moved: [{ orderid: order("2"), sku, qty: 4, batchref: ref("ship") }],
        unallocated: [],
      });
    });

    it("answers 404 for a quantity change of an unknown batch", async () => {
      const response = await call("PATCH", `/batches/${uniqueName("nope")}`, { qty: 3 });
      expect(response.status).toBe(404);
      expect(response.body.message).toMatch(/^Unknown batch /);
    });

    it("answers 409 for a batch reference that is already taken, by any product", async () => {
      const { sku, otherSku, ref } = names();
      await addStock([[ref("1"), sku, 10, null]]);
      const same = await post("/batches", { ref: ref("1"), sku, qty: 5, eta: null });
      expect(same).toMatchObject({ status: 409, body: { message: `Duplicate batch ${ref("1")}` } });
      const other = await post("/batches", { ref: ref("1"), sku: otherSku, qty: 5, eta: null });
      expect(other).toMatchObject({
        status: 409,
        body: { message: `Duplicate batch ${ref("1")}` },
      });
      expect((await call("GET", `/products/${otherSku}`)).status).toBe(404);
    });

    it.each([
      ["malformed JSON", "/allocate", '{"orderid": "o1",', "Malformed JSON body", undefined],
      [
        "a body that is not an object",
        "/allocate",
        "[1, 2]",
        "The body must be a JSON object",
        undefined,
      ],
      ["a missing field", "/allocate", { orderid: "o1", qty: 1 }, undefined, "sku"],
      ["a quantity of 0", "/allocate", { orderid: "o1", sku: "X", qty: 0 }, undefined, "qty"],
      [
        "a fractional quantity",
        "/allocate",
        { orderid: "o1", sku: "X", qty: 2.5 },
        undefined,
        "qty",
      ],
      [
        "a quantity given as text",
        "/deallocate",
        { orderid: "o1", sku: "X", qty: "2" },
        undefined,
        "qty",
      ],
      [
        "an eta that is not a date",
        "/batches",
        { ref: "r", sku: "X", qty: 1, eta: "soon" },
        undefined,
        "eta",
      ],
      [
        "an impossible date",
        "/batches",
        { ref: "r", sku: "X", qty: 1, eta: "2026-02-30" },
        undefined,
        "eta",
      ],
      [
        "a negative batch quantity",
        "/batches",
        { ref: "r", sku: "X", qty: -1, eta: null },
        undefined,
        "qty",
      ],
    ])("answers 400 with a message for %s, never a 500", async (_, path, body, message, field) => {
      const response = await post(path, body);
      expect(response.status).toBe(400);
      expect(response.type).toMatch(/^application\/json/);
      expect(typeof response.body.message).toBe("string");
      if (message !== undefined) expect(response.body.message).toBe(message);
      if (field !== undefined) expect(response.body.field).toBe(field);
    });

    it("answers 400 for text the database cannot store, such as a NUL character", async () => {
      const { sku, ref } = names();
      await addStock([[ref("1"), sku, 10, null]]);
      const response = await post("/allocate", { orderid: "a\u0000b", sku, qty: 1 });
      expect(response.status).toBe(400);
    });

    it("answers 400 for a quantity change that is not a quantity", async () => {
      const response = await call("PATCH", "/batches/whatever", { qty: -3 });
      expect(response).toMatchObject({ status: 400, body: { field: "qty" } });
    });

    it("answers 413 for a body over 64 KiB", async () => {
      const response = await post("/allocate", { orderid: "x".repeat(70_000), sku: "X", qty: 1 });
      expect(response.status).toBe(413);
    });

    it("answers 404 with a message for an unknown route", async () => {
      const response = await call("GET", "/nowhere");
      expect(response).toMatchObject({
        status: 404,
        body: { message: "No route for GET /nowhere" },
      });
    });

    it.each([
      ["text/plain", "text/plain"],
      ["a form", "application/x-www-form-urlencoded"],
      ["no content type", null],
    ])("answers 415 for a JSON body sent as %s, and allocates nothing", async (_, type) => {
      const { sku, ref, order } = names();
      await addStock([[ref("1"), sku, 10, null]]);
      const before = (await call("GET", `/products/${sku}`)).body.version;
      const response = await fetch(`${service.url}/allocate`, {
        method: "POST",
        headers: type === null ? {} : { "content-type": type },
        body: JSON.stringify({ orderid: order("1"), sku, qty: 1 }),
      });
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        message: "The body must be JSON, sent as Content-Type: application/json",
      });
      const product = await call("GET", `/products/${sku}`);
      expect(product.body.version).toBe(before);
    });

    it("accepts JSON whose content type carries a charset", async () => {
      const { sku, ref, order } = names();
      await addStock([[ref("1"), sku, 10, null]]);
      const response = await fetch(`${service.url}/allocate`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ orderid: order("1"), sku, qty: 1 }),
      });
      expect(response.status).toBe(201);
    });

    it.each([
      ["DELETE", "/batches/b1", "PATCH"],
      ["GET", "/allocate", "POST"],
      ["PUT", "/batches", "POST"],
      ["POST", "/products/X", "GET, HEAD"],
      ["DELETE", "/health", "GET, HEAD"],
    ])(
      "answers 405 with Allow for %s %s, a known path with a wrong method",
      async (method, path, allow) => {
        const response = await call(method, path);
        expect(response.status).toBe(405);
        expect(response.headers.get("allow")).toBe(allow);
        expect(response.body).toEqual({ message: `${method} is not allowed on ${path}` });
      },
    );

    it.each([
      ["/allocate", "orderid"],
      ["/deallocate", "orderid"],
      ["/allocate", "sku"],
    ])("refuses %s with a %s of only spaces", async (path, field) => {
      const { sku, ref, order } = names();
      await addStock([[ref("1"), sku, 10, null]]);
      const before = (await call("GET", `/products/${sku}`)).body.version;
      const line: Record<string, unknown> = { orderid: order("1"), sku, qty: 1 };
      line[field] = "   ";
      const response = await post(path, line);
      expect(response).toMatchObject({ status: 400, body: { field } });
      expect((await call("GET", `/products/${sku}`)).body.version).toBe(before);
    });

    it("refuses a sku with an unpaired surrogate up front, before looking anything up", async () => {
      const { sku, order } = names();
      const lone = `${sku}\ud800`;
      const batch = await post("/batches", {
        ref: `${sku}-b`.toLowerCase(),
        sku: lone,
        qty: 5,
        eta: null,
      });
      expect(batch).toMatchObject({ status: 400, body: { field: "sku" } });
      const response = await call(
        "POST",
        "/allocate",
        `{"orderid":"${order("1")}","sku":"${sku}\\ud800","qty":1}`,
      );
      expect(response).toMatchObject({
        status: 400,
        body: { field: "sku", message: "Invalid sku: it must be well-formed Unicode text" },
      });
    });

    it("accepts a sku with a character outside the basic plane (a paired surrogate)", async () => {
      const { sku, ref, order } = names();
      const emoji = `${sku}-\u{1F6CB}`;
      await addStock([[ref("1"), emoji, 5, null]]);
      const response = await post("/allocate", { orderid: order("1"), sku: emoji, qty: 1 });
      expect(response).toMatchObject({ status: 201, body: { batchref: ref("1") } });
    });

    it("reports its health and which database it runs on", async () => {
      const response = await call("GET", "/health");
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: "ok",
        database: backend.url === undefined ? "pglite" : "postgres",
      });
    });
  });
}
