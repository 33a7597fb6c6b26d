import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** What one burst of concurrent allocations produced, and how fast. */
export interface BurstFigures {
  readonly scenario: string;
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly durationMs: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  /** Retries after a ConcurrencyConflict, summed over the service processes. */
  readonly retries: number;
  /** The most attempts one request needed (each service process starts fresh, so this is the burst's). */
  readonly mostAttempts: number;
}

export interface AllocationResponse {
  readonly orderid: string;
  readonly status: number;
  readonly body: { readonly batchref?: string; readonly message?: string };
}

export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Sends `count` allocations of `qty` at once, spread round-robin over the
 * given service URLs, and waits for every answer.
 */
export async function allocationBurst(
  urls: readonly string[],
  sku: string,
  count: number,
  qty: number,
): Promise<{ responses: AllocationResponse[]; durationMs: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const orderid = `order-${index}`;
      const sent = performance.now();
      const { status, body } = await postJson(`${urls[index % urls.length]}/allocate`, {
        orderid,
        sku,
        qty,
      });
      latencies.push(performance.now() - sent);
      return { orderid, status, body } as AllocationResponse;
    }),
  );
  return { responses, durationMs: performance.now() - started, latencies };
}

export function figures(
  scenario: string,
  responses: readonly AllocationResponse[],
  durationMs: number,
  latencies: readonly number[],
  { retries, mostAttempts }: { retries: number; mostAttempts: number },
): BurstFigures {
  const statuses: Record<string, number> = {};
  for (const { status } of responses) statuses[status] = (statuses[status] ?? 0) + 1;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return {
    scenario,
    requests: responses.length,
    statuses,
    durationMs: round(durationMs),
    requestsPerSecond: round((responses.length / durationMs) * 1000),
    latencyMs: { p50: at(0.5), p95: at(0.95), max: round(sorted.at(-1) ?? 0) },
    retries,
    mostAttempts,
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

const REPORT = fileURLToPath(
  new URL("../../../reports/load-allocation-service.json", import.meta.url),
);

/** Adds the figures to the report at the repo root, so that CI and the lead can quote them. */
export async function record(result: BurstFigures): Promise<void> {
  console.log(
    `load: ${result.scenario}: ${result.requests} requests in ${result.durationMs} ms ` +
      `(${result.requestsPerSecond} req/s), statuses ${JSON.stringify(result.statuses)}, ` +
      `latency p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms, ` +
      `${result.retries} retries after ConcurrencyConflict (at most ${result.mostAttempts} attempts for one request)`,
  );
  await mkdir(new URL("../../../reports/", import.meta.url), { recursive: true });
  let all: BurstFigures[] = [];
  try {
    all = JSON.parse(await readFile(REPORT, "utf8")) as BurstFigures[];
  } catch {
    // First scenario of the run.
  }
  all = all.filter((entry) => entry.scenario !== result.scenario);
  all.push({ ...result, ...{ measuredAt: new Date().toISOString() } });
  await writeFile(REPORT, `${JSON.stringify(all, null, 2)}\n`);
}

/** A service started as its own process, the way it is deployed. */
export interface ServiceProcess {
  readonly url: string;
  stop(): Promise<void>;
}

const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));

export function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: EXAMPLE,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let started = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n${output}`));
    };
    const timer = setTimeout(() => fail(new Error("the service did not start in 60 s")), 60_000);
    const onEarlyExit = (code: number | null) => fail(new Error(`the service exited with ${code}`));
    child.once("exit", onEarlyExit);
    // Keeps reading both pipes for the life of the process, so that they never fill up.
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = started ? null : /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      started = true;
      clearTimeout(timer);
      child.off("exit", onEarlyExit);
      resolve({
        url: match[1],
        async stop() {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}
