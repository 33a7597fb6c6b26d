import {
  type AddBatchCommand,
  type AllocateCommand,
  type AllocateOrderCommand,
  type BatchQuantityChange,
  type ChangeBatchQuantityCommand,
  type DeallocateCommand,
  type OrderLine,
  type OrderLineAllocation,
  type Product,
  type ServiceOptions,
  services,
  type UnitOfWorkFactory,
} from "cosmic-allocation";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorResponse, fieldError, jsonError } from "./http-errors.js";
import { KeyedQueue } from "./keyed-queue.js";

/** What the HTTP layer needs: a way to open units of work, and the services' options. */
export interface AppDependencies {
  readonly uow: UnitOfWorkFactory;
  /** The read model: where each line of an order is allocated (the book's chapter 12 view). */
  readonly allocationsFor: (orderid: string) => Promise<readonly OrderLineAllocation[]>;
  readonly serviceOptions?: ServiceOptions;
  /** Extra fields for `GET /health`, such as the database kind and retry counts. */
  readonly health?: () => Record<string, unknown>;
  /**
   * Queue this process's writes to one sku instead of letting them race
   * (default true). Correctness never depends on it: the unit of work's
   * compare-and-set on the product version decides every race, between
   * processes too. The queue only spares a process from losing races to
   * itself, which under a burst on one product costs many retries.
   */
  readonly queuePerSku?: boolean;
}

/**
 * The allocation service's HTTP API: the book's Flask app (chapters 4 to 9),
 * with its field names, over the library's service layer.
 */
export function createApp({
  uow,
  allocationsFor,
  serviceOptions = {},
  health,
  queuePerSku = true,
}: AppDependencies): Hono {
  const app = new Hono();
  const queue = new KeyedQueue();
  const inTurn = <T>(sku: unknown, work: () => Promise<T>): Promise<T> =>
    queuePerSku && typeof sku === "string" ? queue.run(sku, work) : work();

  app.use(
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json({ message: "Request body too large (64 KiB at most)" }, 413),
    }),
  );

  app.get("/health", (c) => c.json({ status: "ok", ...health?.() }));

  app.post("/batches", async (c) => {
    const body = await readBody(c.req.raw, ["ref", "sku"]);
    await inTurn(body.sku, () =>
      services.addBatch(
        { ref: body.ref, sku: body.sku, qty: body.qty, eta: body.eta ?? null } as AddBatchCommand,
        uow,
        serviceOptions,
      ),
    );
    return c.json({ ref: body.ref }, 201);
  });

  app.post("/allocate", async (c) => {
    const body = await readBody(c.req.raw, LINE_FIELDS);
    const batchref = await inTurn(body.sku, () =>
      services.allocate(
        { orderid: body.orderid, sku: body.sku, qty: body.qty } as AllocateCommand,
        uow,
        serviceOptions,
      ),
    );
    return c.json({ batchref }, 201);
  });

  app.post("/deallocate", async (c) => {
    const body = await readBody(c.req.raw, LINE_FIELDS);
    const batchref = await inTurn(body.sku, () =>
      services.deallocate(
        { orderid: body.orderid, sku: body.sku, qty: body.qty } as DeallocateCommand,
        uow,
        serviceOptions,
      ),
    );
    return c.json({ batchref });
  });

  app.patch("/batches/:ref", async (c) => {
    const body = await readBody(c.req.raw);
    const change = await services.changeBatchQuantity(
      { ref: c.req.param("ref"), qty: body.qty } as ChangeBatchQuantityCommand,
      uow,
      serviceOptions,
    );
    return c.json(changeReport(change));
  });

  // An order: every line allocated in one commit, or none (400 with the short lines).
  app.post("/orders", async (c) => {
    const body = await readBody(c.req.raw, ["orderid"]);
    const lines = readOrderLines(body.lines);
    const placed = await services.allocateOrder(
      { orderid: body.orderid, lines } as AllocateOrderCommand,
      uow,
      serviceOptions,
    );
    return c.json({ orderid: body.orderid, lines: placed }, 201);
  });

  app.delete("/orders/:orderid", async (c) => {
    const orderid = readPathText(c.req.param("orderid"), "orderid");
    const released = await services.deallocateOrder({ orderid }, uow, serviceOptions);
    return c.json({ orderid, released });
  });

  // The book's chapter 12 endpoint: answered from the view, not by loading aggregates.
  app.get("/allocations/:orderid", async (c) => {
    const orderid = readPathText(c.req.param("orderid"), "orderid");
    return c.json(await allocationsFor(orderid));
  });

  app.get("/products/:sku", async (c) => {
    const sku = c.req.param("sku");
    const unit = await uow();
    try {
      const product = await unit.products.get(sku);
      if (product === undefined) return c.json({ message: `Unknown sku ${sku}` }, 404);
      return c.json(productView(product));
    } finally {
      await unit.rollback();
    }
  });

  // A known path asked with a method it does not take: 405 and what it takes.
  for (const [path, allowed] of Object.entries(ROUTES)) {
    app.all(path, (c) =>
      c.json({ message: `${c.req.method} is not allowed on ${c.req.path}` }, 405, {
        allow: allowed.join(", "),
      }),
    );
  }

  app.notFound((c) => c.json({ message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error) => errorResponse(error));
  return app;
}

/** Every path and the methods it takes (GET routes answer HEAD too). */
const ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/health": ["GET", "HEAD"],
  "/batches": ["POST"],
  "/allocate": ["POST"],
  "/deallocate": ["POST"],
  "/batches/:ref": ["PATCH"],
  "/products/:sku": ["GET", "HEAD"],
  "/orders": ["POST"],
  "/orders/:orderid": ["DELETE"],
  "/allocations/:orderid": ["GET", "HEAD"],
};

const LINE_FIELDS = ["orderid", "sku"] as const;

// A JSON body must say so: a browser may send `text/plain` (or a form) to
// another site without asking first, so accepting those would let any web
// page allocate stock through a visitor's browser.
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

// A lone UTF-16 surrogate cannot be stored as text (PostgreSQL would turn it
// into U+FFFD, another sku): refuse it before anything is looked up.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Reads a JSON object body; anything else is a 4xx, never a 500. Its fields
 * go to the services as they came: the services validate every one of them
 * (ValidationError, before any unit of work opens), hence the casts above.
 * The text fields named here are also refused when blank or not well-formed
 * Unicode.
 */
async function readBody(
  request: Request,
  textFields: readonly string[] = [],
): Promise<Readonly<Record<string, unknown>>> {
  if (!JSON_MEDIA_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw jsonError(415, "The body must be JSON, sent as Content-Type: application/json");
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw jsonError(400, "Malformed JSON body");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw jsonError(400, "The body must be a JSON object");
  }
  const fields = body as Readonly<Record<string, unknown>>;
  for (const field of textFields) {
    const value = fields[field];
    if (typeof value !== "string") continue;
    if (value.trim() === "") throw fieldError(field, "must not be blank");
    if (LONE_SURROGATE.test(value)) throw fieldError(field, "must be well-formed Unicode text");
  }
  return fields;
}

// The lines of an order body, each with only the fields a line has; the
// service checks their values (and refuses two lines of one sku).
function readOrderLines(lines: unknown): unknown {
  if (!Array.isArray(lines)) return lines;
  return lines.map((line, index) => {
    if (typeof line !== "object" || line === null || Array.isArray(line)) return line;
    const { sku, qty } = line as Record<string, unknown>;
    if (typeof sku === "string" && LONE_SURROGATE.test(sku)) {
      throw fieldError(`lines[${index}].sku`, "must be well-formed Unicode text");
    }
    return { sku, qty };
  });
}

// A path segment as text: decoded by the router, refused when blank or not well-formed.
function readPathText(value: string, field: string): string {
  if (value.trim() === "") throw fieldError(field, "must not be blank");
  if (LONE_SURROGATE.test(value)) throw fieldError(field, "must be well-formed Unicode text");
  return value;
}

const lineView = (line: OrderLine) => ({ orderid: line.orderid, sku: line.sku, qty: line.qty });

function changeReport(change: BatchQuantityChange) {
  return {
    ref: change.reference,
    moved: change.moved.map(({ line, batchref }) => ({ ...lineView(line), batchref })),
    unallocated: change.unallocated.map(lineView),
  };
}

function productView(product: Product) {
  return {
    sku: product.sku,
    version: product.versionNumber,
    batches: product.batches.map((batch) => ({
      ref: batch.reference,
      sku: batch.sku,
      qty: batch.purchasedQuantity,
      eta: batch.eta?.toISOString() ?? null,
      allocated: batch.allocatedQuantity,
      available: batch.availableQuantity,
      allocations: batch.allocations.map(lineView),
    })),
  };
}
