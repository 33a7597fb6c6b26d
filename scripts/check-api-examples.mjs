// Checks that every export of every entry (root, /node, /testing) has an
// `@example` in its TSDoc, reading the JSON that typedoc writes where
// typedoc.json's "json" says (reports/api.json): run `npx typedoc` first;
// `npm run docs` does both.
//
//   node scripts/check-api-examples.mjs
//
// Why: typedoc's notDocumented validation fails an export without a summary,
// but not one without an example, and the examples are what
// test/doc-examples.test.ts type-checks and runs. An example on a function's
// signature counts as the function's. Exits 1 listing each export that lacks
// one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const readJson = (path) => JSON.parse(readFileSync(join(root, path), "utf8"));
const path = readJson("typedoc.json").json;
const api = readJson(path);

// typedoc's ReflectionKind.Module: with several entry points, each is a module of the project.
const MODULE = 2;

const hasExample = (reflection) =>
  [
    ...(reflection.comment?.blockTags ?? []),
    ...(reflection.signatures ?? []).flatMap((signature) => signature.comment?.blockTags ?? []),
  ].some((tag) => tag.tag === "@example");

// With a single entry point typedoc lists its exports on the project itself.
const entries = (api.children ?? []).some((child) => child.kind === MODULE)
  ? api.children.filter((child) => child.kind === MODULE)
  : [api];
const missing = entries.flatMap((entry) =>
  (entry.children ?? [])
    .filter((reflection) => !hasExample(reflection))
    .map((reflection) => `${entry.name} ${reflection.name}`),
);
const exported = entries.reduce((count, entry) => count + (entry.children ?? []).length, 0);

if (exported === 0) {
  console.error(`check-api-examples: ${path} lists no exports; is it typedoc's JSON output?`);
  process.exit(1);
}
if (missing.length > 0) {
  console.error(`check-api-examples: ${missing.length} of ${exported} exports have no @example:`);
  for (const name of missing) console.error(`  ${name}`);
  process.exit(1);
}
console.log(`check-api-examples: all ${exported} exports have an @example`);
