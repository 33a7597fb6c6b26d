/**
 * The PostgreSQL adapter (`cosmic-allocation/postgres`), on PGlite and on a
 * real PostgreSQL 15, each figure beside its reference:
 * - ms per `services.allocate` on a product already holding 0, 1,000, 10,000
 *   and 50,000 allocations (budget: 50,000 within 2x of 0);
 * - the same with two stores (two instances of a service) taking turns, so
 *   that every call first catches up with the other's commit;
 * - sequential allocations beside a hand-written transaction (UPDATE a stock
 *   row, INSERT one allocation row) on the same server, interleaved
 *   (budget: at least 1/3 of its rate);
 * - 200 concurrent `POST /allocate` to the example service, on a product with
 *   10,000 earlier allocations beside a fresh one (requests/s, p50, p95).
 *
 * The server: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else a throwaway
 * cluster started here from /usr/lib/postgresql/15/bin (as the postgres user
 * when run as root). The HTTP part needs the example installed
 * (`node scripts/pack.mjs allocation-service`); it is skipped otherwise.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { migrate, PostgresStore, type SqlClient } from "../src/adapters/postgres/index";
import { services } from "../src/index";
import { count } from "./measure";

const SIZES = [0, 1_000, 10_000, 50_000] as const;
const CALLS = 200;
const ROUNDS = 5;

interface Server {
  readonly name: string;
  readonly client: SqlClient;
  /** A URL for the example service; undefined for PGlite in this process. */
  readonly url: string | undefined;
  close(): Promise<void>;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Gives a product `held` allocations straight in SQL (the services would take minutes). */
async function seedProduct(db: SqlClient, sku: string, held: number): Promise<void> {
  await db.query("INSERT INTO products (sku, version) VALUES ($1, $2)", [sku, held + 1]);
  await db.query(
    `INSERT INTO batches (reference, sku, added_in, added_seq, purchased_quantity, eta)
     VALUES ($1, $2, 1, 1, 1000000000, NULL)`,
    [`${sku}-b1`, sku],
  );
  await db.query(
    `INSERT INTO allocations (batch_reference, allocated_in, allocated_seq, sku, orderid, qty)
     SELECT $1, n + 1, 1, $2, 'old-' || n, 1 FROM generate_series(1, $3::int) AS n`,
    [`${sku}-b1`, sku, held],
  );
  await db.query(
    `INSERT INTO order_allocations (orderid, sku, qty, batchref)
     SELECT 'old-' || n, $2, 1, $1 FROM generate_series(1, $3::int) AS n`,
    [`${sku}-b1`, sku, held],
  );
  await db.query("ANALYZE");
}

/** ms per call of `services.allocate`, `calls` sequential lines on one product. */
async function allocations(
  stores: PostgresStore | readonly PostgresStore[],
  sku: string,
  calls: number,
  tag: string,
): Promise<number> {
  // Several stores (instances of a service) take turns, call by call.
  const turns = Array.isArray(stores) ? stores : [stores as PostgresStore];
  const started = performance.now();
  for (let index = 0; index < calls; index++) {
    const store = turns[index % turns.length] as PostgresStore;
    await services.allocate({ orderid: `${tag}-${index}`, sku, qty: 1 }, () => store.unitOfWork());
  }
  return (performance.now() - started) / calls;
}

/** ms per hand-written transaction: UPDATE the stock row, INSERT one allocation row. */
async function handWritten(
  server: Server,
  db: SqlClient,
  sku: string,
  calls: number,
  tag: string,
): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < calls; index++) {
    const work = async (tx: { query: SqlClient["query"] }) => {
      await tx.query("UPDATE bench_stock SET available = available - 1 WHERE sku = $1", [sku]);
      await tx.query("INSERT INTO bench_lines (sku, orderid, qty) VALUES ($1, $2, 1)", [
        sku,
        `${tag}-${index}`,
      ]);
    };
    if (server.url === undefined) {
      await (db as PGlite).transaction(work);
    } else {
      const client = await (db as pg.Pool).connect();
      try {
        await client.query("BEGIN");
        await work(client);
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    }
  }
  return (performance.now() - started) / calls;
}

async function benchServer(server: Server): Promise<void> {
  console.log(`\n  ## ${server.name}`);
  const db = server.client;
  await migrate(db);
  const run = Date.now().toString(36);
  const skus = SIZES.map((held) => `BENCH-${run}-${held}`);
  for (const [index, held] of SIZES.entries()) await seedProduct(db, skus[index] as string, held);

  // The first unit of work of a store reads a product whole (what every call cost before).
  const cold: number[] = [];
  for (const sku of skus) {
    const started = performance.now();
    const uow = new PostgresStore(db).unitOfWork();
    await uow.products.get(sku);
    await uow.rollback();
    cold.push(performance.now() - started);
  }

  await db.query(
    "CREATE TABLE IF NOT EXISTS bench_stock (sku text PRIMARY KEY, available bigint NOT NULL)",
  );
  await db.query(
    "CREATE TABLE IF NOT EXISTS bench_lines (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, sku text NOT NULL, orderid text NOT NULL, qty bigint NOT NULL)",
  );
  const handSku = `HAND-${run}`;
  await db.query("INSERT INTO bench_stock (sku, available) VALUES ($1, 1000000000)", [handSku]);

  const store = new PostgresStore(db);
  // A second instance: each of its commits moves the version the other holds.
  const pair = [store, new PostgresStore(db)] as const;
  const perSize = SIZES.map(() => [] as number[]);
  const inTurns = SIZES.map(() => [] as number[]);
  const hand: number[] = [];
  // Warm-up, untimed and the same for both sides: the JIT (and PGlite's
  // WebAssembly) take a few hundred calls to reach full speed, which would
  // otherwise land on whichever side runs first. It also fills the store's cache.
  const warmSku = `WARM-${run}`;
  await seedProduct(db, warmSku, 0);
  for (let round = 0; round < 4; round++) {
    await allocations(store, warmSku, 100, `warm${round}`);
    await handWritten(server, db, handSku, 100, `warm${round}`);
  }
  for (const sku of skus) await allocations(pair, sku, 2, "warm");
  // Each round runs the products and the hand-written transaction in a
  // rotated order, so that no side always runs first or right after another.
  const sides = [...skus.keys(), "hand", "turns"] as const;
  for (let round = 0; round < ROUNDS; round++) {
    for (let step = 0; step < sides.length; step++) {
      const side = sides[(round + step) % sides.length];
      if (side === "hand") {
        hand.push(await handWritten(server, db, handSku, CALLS, `r${round}`));
      } else if (side === "turns") {
        for (const [index, sku] of skus.entries()) {
          (inTurns[index] as number[]).push(await allocations(pair, sku, CALLS, `t${round}`));
        }
      } else {
        const sku = skus[side as number] as string;
        (perSize[side as number] as number[]).push(
          await allocations(store, sku, CALLS, `r${round}`),
        );
      }
    }
  }
  const base = median(perSize[0] as number[]);
  for (const [index, held] of SIZES.entries()) {
    const ms = median(perSize[index] as number[]);
    console.log(
      `  services.allocate, product holding ${count(held).padStart(6)} allocations: median ${ms.toFixed(3)} ms/allocation over ${ROUNDS} rounds of ${CALLS}` +
        `  (${(ms / base).toFixed(2)}x of 0; first read of a cold store ${(cold[index] as number).toFixed(1)} ms)`,
    );
  }
  const turnsBase = median(inTurns[0] as number[]);
  for (const [index, held] of SIZES.entries()) {
    const ms = median(inTurns[index] as number[]);
    console.log(
      `  two stores taking turns, product holding ${count(held).padStart(6)} allocations: median ${ms.toFixed(3)} ms/allocation over ${ROUNDS} rounds of ${CALLS}` +
        `  (${(ms / turnsBase).toFixed(2)}x of 0; each call catches up with the other's commit)`,
    );
  }
  const handMs = median(hand);
  console.log(
    `  hand-written UPDATE stock + INSERT line transaction:      median ${handMs.toFixed(3)} ms/transaction over ${ROUNDS} rounds of ${CALLS}`,
  );
  console.log(
    `  => sequential services.allocate at ${count(1000 / base)}/s vs hand-written ${count(1000 / handMs)}/s: ${(handMs / base).toFixed(2)} of its rate (budget >= 0.33)`,
  );
  const worst = median(perSize[SIZES.length - 1] as number[]);
  console.log(`  => 50,000 allocations held: ${(worst / base).toFixed(2)}x of none (budget <= 2)`);

  await httpBurst(server, db, run);
}

/** 200 concurrent POST /allocate to the example service, on a product with 10,000 earlier allocations and on a fresh one. */
async function httpBurst(server: Server, db: SqlClient, run: string): Promise<void> {
  const example = fileURLToPath(new URL("../examples/allocation-service/", import.meta.url));
  if (
    !existsSync(join(example, "node_modules", "cosmic-allocation", "dist", "postgres", "index.js"))
  ) {
    console.log("  (HTTP burst skipped: run `node scripts/pack.mjs allocation-service` first)");
    return;
  }
  const busy = `HTTP-${run}-10000`;
  const fresh = `HTTP-${run}-0`;
  await seedProduct(db, busy, 10_000);
  await seedProduct(db, fresh, 0);
  let env: Record<string, string>;
  let pgliteDir: string | undefined;
  if (server.url === undefined) {
    // The service opens its own PGlite: hand it a copy of this one's data.
    pgliteDir = mkdtempSync(join(tmpdir(), "bench-pglite-"));
    const dump = await (db as PGlite).dumpDataDir("none");
    const copy = await PGlite.create(pgliteDir, { loadDataDir: dump });
    await copy.close();
    env = { DATABASE_URL: "", PGLITE_DIR: pgliteDir };
  } else {
    env = { DATABASE_URL: server.url };
  }
  const service = await startService(example, env);
  try {
    const results: Record<string, { rps: number[]; p50: number[]; p95: number[] }> = {
      [busy]: { rps: [], p50: [], p95: [] },
      [fresh]: { rps: [], p50: [], p95: [] },
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const sku of [busy, fresh]) {
        const latencies: number[] = [];
        const started = performance.now();
        await Promise.all(
          Array.from({ length: 200 }, async (_, index) => {
            const sent = performance.now();
            const response = await fetch(`${service.url}/allocate`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ orderid: `http-${round}-${index}`, sku, qty: 1 }),
            });
            await response.text();
            if (response.status !== 201)
              throw new Error(`POST /allocate answered ${response.status}`);
            latencies.push(performance.now() - sent);
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        const entry = results[sku] as { rps: number[]; p50: number[]; p95: number[] };
        entry.rps.push(200 / seconds);
        entry.p50.push(latencies[99] as number);
        entry.p95.push(latencies[189] as number);
      }
    }
    for (const [label, sku] of [
      ["10,000 earlier allocations", busy],
      ["a fresh product", fresh],
    ] as const) {
      const entry = results[sku] as { rps: number[]; p50: number[]; p95: number[] };
      console.log(
        `  200 concurrent POST /allocate, ${label.padEnd(26)}: ${count(median(entry.rps))} requests/s, p50 ${median(entry.p50).toFixed(0)} ms, p95 ${median(entry.p95).toFixed(0)} ms (medians of ${ROUNDS} interleaved bursts)`,
      );
    }
  } finally {
    await service.stop();
    if (pgliteDir !== undefined) rmSync(pgliteDir, { recursive: true, force: true });
  }
}

async function startService(
  cwd: string,
  env: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the service exited with ${code}\n${output}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
  });
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A throwaway PostgreSQL 15 cluster (see docs: TOOLCHAIN's recipe), or undefined when there is none. */
async function throwawayCluster(): Promise<{ url: string; stop(): void } | undefined> {
  const bin = "/usr/lib/postgresql/15/bin";
  if (!existsSync(join(bin, "initdb"))) return undefined;
  const root = process.getuid?.() === 0;
  const as = (command: string, args: string[]) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "ignore" })
      : execFileSync(command, args, { stdio: "ignore" });
  const dir = mkdtempSync(join(tmpdir(), "bench-pg-"));
  if (root) execFileSync("chown", ["postgres", dir]);
  const port = await freePort();
  as(join(bin, "initdb"), ["-D", join(dir, "data"), "-U", "postgres", "--auth=trust"]);
  as(join(bin, "pg_ctl"), [
    "-D",
    join(dir, "data"),
    "-w",
    "-l",
    join(dir, "log"),
    "-o",
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`,
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      as(join(bin, "pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

{
  const lite = await PGlite.create();
  await benchServer({
    name: "PGlite 0.5 (in process)",
    client: lite,
    url: undefined,
    close: () => lite.close(),
  });
  await lite.close();
}
{
  const given = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const cluster = given === undefined ? await throwawayCluster() : undefined;
  const url = given ?? cluster?.url;
  if (url === undefined) {
    console.log("\n  (PostgreSQL skipped: set BENCH_DATABASE_URL, or install postgresql-15)");
  } else {
    // A database of its own, so that the figures do not depend on what else the server holds.
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    const name = `bench_${Date.now().toString(36)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const scratch = new URL(url);
    scratch.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: scratch.href, max: 10 });
    try {
      const version = (await pool.query("SHOW server_version")).rows[0] as {
        server_version: string;
      };
      await benchServer({
        name: `PostgreSQL ${version.server_version}${cluster === undefined ? "" : " (throwaway cluster, fsync=off)"}`,
        client: pool,
        url: scratch.href,
        close: () => pool.end(),
      });
    } finally {
      await pool.end();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
      cluster?.stop();
    }
  }
}
