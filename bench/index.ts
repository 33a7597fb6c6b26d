/**
 * Runs every benchmark suite (`bench/*.bench.ts`) in turn, or only those whose
 * file name contains one of the command-line arguments:
 * `npm run bench -- sync` runs `sync.bench.ts`.
 * Suites print medians; budgets are checked by reading these figures, never by timed tests.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL(".", import.meta.url));
const filters = process.argv.slice(2);
const suites = readdirSync(folder)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
for (const suite of suites) {
  console.log(`\n# ${suite}`);
  await import(new URL(suite, import.meta.url).href);
}
