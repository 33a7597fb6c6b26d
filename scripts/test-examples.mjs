// Runs each example's typecheck and test suite against the tarball that
// scripts/pack.mjs installed, writing vitest's JSON report to
// reports/vitest-examples-<name>.json, which scripts/ci-summary.mjs adds up.
//
//   node scripts/test-examples.mjs [example ...]
//
// Environment: TEST_DATABASE_URL (a PostgreSQL server the allocation service's
// tests may write to; without it they are skipped, or fail under CI), and
// CHROMIUM_PATH (default /usr/bin/chromium) for the what-if page's browser test.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const reports = join(root, "reports");
const examplesDir = join(root, "examples");
const named = process.argv.slice(2);
const examples =
  named.length > 0
    ? named
    : readdirSync(examplesDir).filter((name) =>
        existsSync(join(examplesDir, name, "package.json")),
      );
mkdirSync(reports, { recursive: true });

const run = (cwd, command, args) => {
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd, stdio: "inherit" });
  return { ok: status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
};

// The load test adds one entry per scenario it ran: start from none.
const load = join(reports, "load-allocation-service.json");
rmSync(load, { force: true });

const results = [];
for (const example of examples) {
  const cwd = join(examplesDir, example);
  const bin = (name) => join(cwd, "node_modules", ".bin", name);
  if (!existsSync(bin("vitest"))) {
    console.error(`examples/${example} is not installed: run node scripts/pack.mjs first`);
    results.push({ example, ok: false, line: "not installed" });
    continue;
  }
  console.log(`\n== examples/${example}: typecheck`);
  const typecheck = run(cwd, bin("tsc"), ["--noEmit", "-p", "."]);
  console.log(`\n== examples/${example}: tests`);
  const tests = run(cwd, bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${join(reports, `vitest-examples-${example}.json`)}`,
  ]);
  results.push({
    example,
    ok: typecheck.ok && tests.ok,
    line: `typecheck ${typecheck.ok ? "ok" : "FAILED"} (${typecheck.seconds} s), tests ${tests.ok ? "ok" : "FAILED"} (${tests.seconds} s)`,
  });
}

if (existsSync(load)) {
  console.log(
    "\n== load test of examples/allocation-service (200 concurrent POST /allocate, stock for 100 lines)",
  );
  for (const entry of JSON.parse(readFileSync(load, "utf8"))) {
    console.log(
      `  ${entry.scenario}: ${entry.durationMs} ms, ${entry.requestsPerSecond} req/s, statuses ${JSON.stringify(entry.statuses)}, ` +
        `p50 ${entry.latencyMs.p50} ms, p95 ${entry.latencyMs.p95} ms, ${entry.retries} retries (at most ${entry.mostAttempts} attempts)`,
    );
  }
}
console.log("\n== examples");
for (const { example, ok, line } of results)
  console.log(`  ${ok ? "ok    " : "FAILED"} examples/${example}: ${line}`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
