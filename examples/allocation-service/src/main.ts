// Starts the allocation service. Environment: DATABASE_URL (a PostgreSQL URL;
// without it the service runs on PGlite), PGLITE_DIR (keep PGlite's data in a
// folder instead of memory), HOST (default 127.0.0.1), PORT (default 3000;
// 0 picks a free one), ALLOCATION_RETRIES, ALLOCATION_QUEUE_PER_SKU (0 turns the
// per-sku write queue off). `--seed` adds the demo's stock.
import { DEFAULT_RETRIES, PortInUse, type RunningService, startService } from "./service.js";

const env = process.env;
const seed = process.argv.includes("--seed");
let service: RunningService;
try {
  service = await startService({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: env.PGLITE_DIR,
    host: env.HOST,
    port: env.PORT === undefined ? 3000 : Number(env.PORT),
    seed,
    retries:
      env.ALLOCATION_RETRIES === undefined ? DEFAULT_RETRIES : Number(env.ALLOCATION_RETRIES),
    queuePerSku: env.ALLOCATION_QUEUE_PER_SKU !== "0",
  });
} catch (error) {
  // A busy port is a user's everyday mistake: one line that says what to do, not a stack trace.
  if (!(error instanceof PortInUse)) throw error;
  console.error(`allocation-service: ${error.message}`);
  process.exit(1);
}

const where =
  service.database === "postgres"
    ? "PostgreSQL (DATABASE_URL)"
    : env.PGLITE_DIR
      ? `PGlite in ${env.PGLITE_DIR}`
      : "PGlite, in memory";
const url = service.url;
const post = (path: string, body: unknown) =>
  `curl -s -X POST ${url}${path} -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
console.log(`allocation-service listening on ${url} (${where}${seed ? ", demo stock added" : ""})`);
if (seed) {
  console.log(`
Try it:
  curl -s ${url}/products/SMALL-TABLE
  ${post("/allocate", { orderid: "order-1", sku: "SMALL-TABLE", qty: 3 })}
  ${post("/allocate", { orderid: "order-2", sku: "RED-CHAIR", qty: 15 })}
  ${post("/allocate", { orderid: "order-3", sku: "NO-SUCH-SKU", qty: 1 })}
  ${post("/deallocate", { orderid: "order-1", sku: "SMALL-TABLE", qty: 3 })}
  ${post("/batches", { ref: "ship-lamp-2", sku: "BLUE-LAMP", qty: 40, eta: "2027-01-15" })}
  curl -s -X PATCH ${url}/batches/warehouse-chair-1 -H 'content-type: application/json' -d '{"qty":4}'
  curl -s ${url}/health
Press Ctrl+C to stop.`);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
