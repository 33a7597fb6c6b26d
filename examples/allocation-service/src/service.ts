import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { ServiceOptions } from "cosmic-allocation";
import { PostgresStore } from "cosmic-allocation/postgres";
import { createApp } from "./app.js";
import { openDatabase } from "./database.js";
import { seedDemoData } from "./seed.js";

/** How to run the service. */
export interface ServiceConfig {
  /** A PostgreSQL URL; without one the service runs on PGlite. */
  readonly databaseUrl?: string | undefined;
  /** A folder for PGlite's data; without one PGlite keeps everything in memory. */
  readonly pgliteDir?: string | undefined;
  readonly host?: string | undefined;
  /** 0 picks a free port. */
  readonly port?: number | undefined;
  readonly seed?: boolean | undefined;
  /** How often a service call retries after a ConcurrencyConflict before giving up. */
  readonly retries?: number | undefined;
  /** Queue this process's writes per sku (default true); see `AppDependencies.queuePerSku`. */
  readonly queuePerSku?: boolean | undefined;
}

/** A running service. */
export interface RunningService {
  readonly url: string;
  readonly database: "postgres" | "pglite";
  /** Retries after a ConcurrencyConflict since the start. */
  retries(): number;
  close(): Promise<void>;
}

/**
 * Generous by design: under a burst on one product, writers from other
 * processes (or from this one, with the per-sku queue off) lose most rounds,
 * and the library's full-jitter backoff (up to 1 s) needs attempts to spread
 * them out. Measured here: 200 concurrent allocations on one product with
 * the queue off cost 1,600 to 2,000 retries in all, and the unluckiest
 * request needed 13 to 16 attempts.
 */
export const DEFAULT_RETRIES = 100;

/** The port the service was asked to listen on is taken by another process. */
export class PortInUse extends Error {
  readonly port: number;

  constructor(host: string, port: number) {
    super(
      `Port ${port} on ${host} is already in use: stop what uses it, or choose another port with PORT (e.g. PORT=${port + 1}; PORT=0 picks a free one).`,
    );
    this.name = "PortInUse";
    this.port = port;
  }
}

/** Opens the database, builds the app and listens. */
export async function startService(config: ServiceConfig = {}): Promise<RunningService> {
  const database = await openDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir });
  const store = new PostgresStore(database.db);
  const uow = () => store.unitOfWork();
  let retries = 0;
  let mostAttempts = 1;
  const serviceOptions: ServiceOptions = {
    retries: config.retries ?? DEFAULT_RETRIES,
    onRetry: ({ attempt }) => {
      retries += 1;
      mostAttempts = Math.max(mostAttempts, attempt + 1);
    },
  };
  if (config.seed === true) await seedDemoData(uow);
  const app = createApp({
    uow,
    allocationsFor: (orderid) => store.allocationsFor(orderid),
    serviceOptions,
    health: () => ({ database: database.kind, retries, mostAttempts }),
    queuePerSku: config.queuePerSku ?? true,
  });
  const host = config.host ?? "127.0.0.1";
  const wanted = config.port ?? 3000;
  let listening: { server: ReturnType<typeof serve>; port: number };
  try {
    listening = await new Promise((resolve, reject) => {
      const server = serve(
        { fetch: app.fetch, hostname: host, port: wanted },
        (info: AddressInfo) => resolve({ server, port: info.port }),
      );
      server.once("error", reject);
    });
  } catch (error) {
    await database.close();
    if ((error as { code?: unknown }).code === "EADDRINUSE") throw new PortInUse(host, wanted);
    throw error;
  }
  const { server, port } = listening;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    database: database.kind,
    retries: () => retries,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open; the requests are done.
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await database.close();
    },
  };
}
