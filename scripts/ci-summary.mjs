// Sums the JSON reports of every vitest run in the given folder and prints
// the plain closing line CI reads: "N passed, N failed". The second argument
// is the exit status of `npm test`: a failing step outside vitest (lint, the
// build, a package check) counts as one failure, so the line never reads
// "0 failed" for a run that failed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const folder = process.argv[2] ?? "reports";
const testStatus = Number(process.argv[3] ?? "0");
let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const name of readdirSync(folder)) {
  if (!/^vitest-.*\.json$/.test(name)) continue;
  const report = JSON.parse(readFileSync(join(folder, name), "utf8"));
  files += 1;
  passed += report.numPassedTests ?? 0;
  failed +=
    (report.numFailedTests ?? 0) +
    (report.success === false && report.numFailedTests === 0 ? 1 : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (files === 0 || (testStatus !== 0 && failed === 0)) failed += 1;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
