// `npm test`: every check, in order, stopping at the first that fails, and a
// last line that says what ran, what was skipped and why, per suite:
//
//   npm test: typecheck, lint, links, build, docs, docs site, package, lockfiles ok; library 547 passed; allocation-service 57 passed, 51 skipped (no TEST_DATABASE_URL); what-if 9 passed
//
// The test suites' counts come from the JSON reports vitest writes to
// reports/vitest-*.json (scripts/ci-summary.mjs adds the same reports up for
// CI). A suite's skipped tests are put down to the prerequisites its tests
// read and this machine lacks (PREREQUISITES below); skips no prerequisite
// explains are reported as such.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const reports = join(root, "reports");
const underCI = process.env.CI === "true";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** What a test may need from the machine: the name its code reads, and why it is missing. */
const PREREQUISITES = [
  {
    names: ["TEST_DATABASE_URL"],
    missing: () => (process.env.TEST_DATABASE_URL ?? "") === "",
    why: "no TEST_DATABASE_URL",
  },
  {
    names: ["CHROMIUM_PATH", "chromium"],
    missing: () => !existsSync(chromium),
    why: `no Chromium at ${chromium}`,
  },
];

const STEPS = [
  { name: "typecheck", command: ["npm", "run", "typecheck"] },
  { name: "lint", command: ["npm", "run", "lint"] },
  { name: "links", command: ["node", "scripts/check-links.mjs"] },
  { name: "library tests", command: ["npm", "run", "test:unit"], suite: "library" },
  { name: "build", command: ["npm", "run", "build"] },
  { name: "docs", command: ["npm", "run", "docs"] },
  {
    name: "docs site",
    command: ["node", "scripts/check-docs-site.mjs"],
    // Under CI a missing Chromium fails the step instead (the script says so).
    skip: () => (!underCI && !existsSync(chromium) ? `no Chromium at ${chromium}` : undefined),
  },
  { name: "package", command: ["npm", "run", "check:package"] },
  { name: "pack into examples", command: ["node", "scripts/pack.mjs"] },
  { name: "lockfiles", command: ["node", "scripts/check-lockfiles.mjs"] },
  { name: "example tests", command: ["node", "scripts/test-examples.mjs"], suite: "examples" },
];

// Reports from an earlier run would be counted as this run's.
if (existsSync(reports)) {
  for (const name of readdirSync(reports)) {
    if (/^vitest-.*\.json$/.test(name)) rmSync(join(reports, name));
  }
}

const checks = [];
const skippedSteps = [];
let failed;
let notRun = [];
for (const [index, step] of STEPS.entries()) {
  const why = step.skip?.();
  if (why !== undefined) {
    skippedSteps.push(`${step.name} (${why})`);
    console.log(`\n== ${step.name}: skipped (${why})`);
    continue;
  }
  console.log(`\n== ${step.name}: ${step.command.join(" ")}`);
  const { status } = spawnSync(step.command[0], step.command.slice(1), {
    cwd: root,
    stdio: "inherit",
  });
  if (status !== 0) {
    failed = step.name;
    notRun = STEPS.slice(index + 1).map((later) => later.name);
    break;
  }
  if (step.suite === undefined) checks.push(step.name);
}

/** Every file under a folder whose name matches, skipping node_modules. */
function filesUnder(folder, pattern) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    if (name === "node_modules" || name.startsWith(".")) return [];
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesUnder(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

/** Why a suite's tests were skipped: the missing prerequisites its test code names. */
function skipReasons(sources) {
  const text = sources.map((path) => readFileSync(path, "utf8")).join("\n");
  const reasons = PREREQUISITES.filter(
    (prerequisite) =>
      prerequisite.missing() && prerequisite.names.some((name) => text.includes(name)),
  ).map((prerequisite) => prerequisite.why);
  return reasons.length > 0 ? reasons.join(", ") : "marked skip or todo in the tests";
}

const testSources = /\.(test|test-prop)\.[cm]?[jt]s$|^(setup|backends|helpers?)\.[cm]?[jt]s$/;
const suites = [];
if (existsSync(reports)) {
  for (const name of readdirSync(reports).sort()) {
    const match = /^vitest-(?:examples-)?(.+)\.json$/.exec(name);
    if (match === null) continue;
    const report = JSON.parse(readFileSync(join(reports, name), "utf8"));
    const suite = match[1];
    const sources =
      suite === "library"
        ? [
            ...filesUnder(join(root, "src"), testSources),
            ...filesUnder(join(root, "test"), /\.ts$/),
          ]
        : filesUnder(join(root, "examples", suite), /\.[cm]?[jt]s$/).filter(
            (path) => !path.includes(`${join("examples", suite, "src")}`),
          );
    const passed = report.numPassedTests ?? 0;
    const failedTests = report.numFailedTests ?? 0;
    // Vitest counts the tests under a failed hook as skipped: count those apart.
    const skippedIn = (fileFailed) =>
      (report.testResults ?? [])
        .filter((file) => (file.status === "failed") === fileFailed)
        .flatMap((file) => file.assertionResults ?? [])
        .filter((test) => ["skipped", "pending", "todo"].includes(test.status)).length;
    const skipped = skippedIn(false);
    const skippedByFailure = skippedIn(true);
    const failedSuites = report.numFailedTestSuites ?? 0;
    const parts = [`${passed} passed`];
    if (failedTests > 0) parts.push(`${failedTests} failed`);
    if (failedSuites > failedTests) parts.push(`${failedSuites} suites failed`);
    if (skipped > 0) parts.push(`${skipped} skipped (${skipReasons(sources)})`);
    if (skippedByFailure > 0) {
      parts.push(
        `${skippedByFailure} skipped in failing files (a failed hook, or ${skipReasons(sources)})`,
      );
    }
    suites.push(`${suite === "library" ? "library" : suite} ${parts.join(", ")}`);
  }
}

const line = [
  failed === undefined
    ? `${checks.join(", ")} ok`
    : `FAILED at ${failed}${checks.length > 0 ? ` after ${checks.join(", ")}` : ""}${notRun.length > 0 ? `; not run: ${notRun.join(", ")}` : ""}`,
  ...(skippedSteps.length > 0 ? [`skipped ${skippedSteps.join(", ")}`] : []),
  ...suites,
].join("; ");
console.log(`\nnpm test: ${line}`);
process.exit(failed === undefined ? 0 : 1);
