// `npm run mutation`: mutation testing of the domain, the services and the
// sync planner with StrykerJS (stryker.config.mjs), one area at a time, and
// the score of each. Not part of `npm test`: a full run takes tens of minutes
// on two cores.
//
//   npm run mutation                 every area, one after the other
//   npm run mutation -- sync         one area (domain, services or sync)
//   npm run mutation -- --scores     only print the scores of the last runs
//
// Each area keeps an incremental file in .stryker-incremental/, so a second
// run re-tests only the mutants whose code or covering tests changed. Reports:
// reports/mutation/<area>.html and .json, written at the end of a run, and
// each mutant's result as it comes in reports/mutation/events-<area>/, from
// which --scores gives the partial score of a run stopped before its end. MUTATION_CONCURRENCY sets the number
// of test runners (default 2).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const AREAS = ["domain", "services", "sync"];
const args = process.argv.slice(2);
const scoresOnly = args.includes("--scores");
const named = args.filter((arg) => !arg.startsWith("--"));
for (const area of named) {
  if (!AREAS.includes(area)) {
    console.error(`mutation: unknown area ${area}; the areas are ${AREAS.join(", ")}`);
    process.exit(2);
  }
}
const areas = named.length > 0 ? named : AREAS;

/** Counts mutants by status, from the JSON report or from the event records. */
function tally(area) {
  const report = join(root, "reports", "mutation", `${area}.json`);
  const events = join(root, "reports", "mutation", `events-${area}`);
  const plan = existsSync(events)
    ? readdirSync(events).find((name) => name.endsWith("onMutationTestingPlanReady.json"))
    : undefined;
  // A run that did not finish leaves its event records newer than the last report.
  if (
    plan !== undefined &&
    (!existsSync(report) || mtimeOf(join(events, plan)) > mtimeOf(report))
  ) {
    const count = {};
    for (const name of readdirSync(events)) {
      if (!name.endsWith("onMutantTested.json")) continue;
      const { status } = JSON.parse(readFileSync(join(events, name), "utf8"));
      count[status] = (count[status] ?? 0) + 1;
    }
    const total = JSON.parse(readFileSync(join(events, plan), "utf8")).mutantPlans.length;
    const tested = Object.values(count).reduce((sum, n) => sum + n, 0);
    return { count, partial: tested < total ? `${tested} of ${total} mutants tested` : undefined };
  }
  if (!existsSync(report)) return undefined;
  const count = {};
  for (const file of Object.values(JSON.parse(readFileSync(report, "utf8")).files)) {
    for (const mutant of file.mutants) count[mutant.status] = (count[mutant.status] ?? 0) + 1;
  }
  return { count, partial: undefined };
}

function mtimeOf(path) {
  return statSync(path).mtimeMs;
}

/** Stryker's score: killed and timed-out mutants over all that were valid. */
function score(area) {
  const tallied = tally(area);
  if (tallied === undefined) return `${area}: no report (run npm run mutation -- ${area})`;
  const { count, partial } = tallied;
  const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const undetected = (count.Survived ?? 0) + (count.NoCoverage ?? 0);
  const percent = ((100 * detected) / Math.max(1, detected + undetected)).toFixed(2);
  const line = `${area}: ${percent}% (${detected} of ${detected + undetected} mutants detected: ${count.Killed ?? 0} killed, ${count.Timeout ?? 0} timed out; ${count.Survived ?? 0} survived, ${count.NoCoverage ?? 0} not covered; ${(count.CompileError ?? 0) + (count.RuntimeError ?? 0)} invalid, ${count.Ignored ?? 0} ignored)`;
  return partial === undefined ? line : `${line}; PARTIAL, the run did not finish: ${partial}`;
}

let status = 0;
if (!scoresOnly) {
  for (const area of areas) {
    console.log(`\n== mutation: ${area}`);
    const run = spawnSync("npx", ["stryker", "run"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, MUTATION_AREA: area },
    });
    if (run.status !== 0) status = 1;
  }
}
console.log("\n== mutation scores");
for (const area of areas) console.log(`  ${score(area)}`);
process.exit(status);
