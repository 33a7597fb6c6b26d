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
// reports/mutation/<area>.html and .json. MUTATION_CONCURRENCY sets the number
// of test runners (default 2).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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

/** Stryker's score: killed and timed-out mutants over all that were valid. */
function score(area) {
  const path = join(root, "reports", "mutation", `${area}.json`);
  if (!existsSync(path)) return `${area}: no report (run npm run mutation -- ${area})`;
  const report = JSON.parse(readFileSync(path, "utf8"));
  const count = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) count[mutant.status] = (count[mutant.status] ?? 0) + 1;
  }
  const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const undetected = (count.Survived ?? 0) + (count.NoCoverage ?? 0);
  const percent = ((100 * detected) / Math.max(1, detected + undetected)).toFixed(2);
  return `${area}: ${percent}% (${detected} of ${detected + undetected} mutants detected: ${count.Killed ?? 0} killed, ${count.Timeout ?? 0} timed out; ${count.Survived ?? 0} survived, ${count.NoCoverage ?? 0} not covered; ${(count.CompileError ?? 0) + (count.RuntimeError ?? 0)} invalid, ${count.Ignored ?? 0} ignored)`;
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
