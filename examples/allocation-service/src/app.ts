import {
  type AddBatchCommand,
  type AllocateCommand,
  type BatchQuantityChange,
  type ChangeBatchQuantityCommand,
  type DeallocateCommand,
  type OrderLine,
  type Product,
  type ServiceOptions,
  services,
  type UnitOfWorkFactory,
} from "cosmic-allocation";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorResponse, jsonError } from "./http-errors.js";
import { KeyedQueue } from "./keyed-queue.js";

/** What the HTTP layer needs: a way to open units of work, and the services' options. */
export interface AppDependencies {
  readonly uow: UnitOfWorkFactory;
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
    const body = await readBody(c.req.raw);
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
    const body = await readBody(c.req.raw);
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
    const body = await readBody(c.req.raw);
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

  app.notFound((c) => c.json({ message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error) => errorResponse(error));
  return app;
}

/**
 * Reads a JSON object body; anything else is a 400, never a 500. Its fields
 * go to the services as they came: the services validate every one of them
 * (ValidationError, before any unit of work opens), hence the casts above.
 */
async function readBody(request: Request): Promise<Readonly<Record<string, unknown>>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw jsonError(400, "Malformed JSON body");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw jsonError(400, "The body must be a JSON object");
  }
  return body as Readonly<Record<string, unknown>>;
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
