// Checks what the published tarball holds, from `npm pack --dry-run` (so run
// `npm run build` first):
//
//   node scripts/check-tarball.mjs
//
// - only the built entries (dist/**/*.js, .cjs, .d.ts, .d.cts), package.json,
//   README.md, LICENSE and CHANGELOG.md: no tests, fixtures, sources or
//   configuration;
// - no source map, and no sourceMappingURL comment pointing at a file the
//   tarball lacks: the build ships unminified code without maps on purpose
//   (see tsup.config.ts), as maps would point at src/, which is not shipped;
// - every path package.json names (main, module, types, typesVersions, bin,
//   each target of exports) is in it, and every built file is reachable from one;
// - README.md and LICENSE are in it.
// Prints the file count and sizes; exits 1 listing each problem.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const [packed] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }),
);
const files = new Set(packed.files.map((file) => file.path));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const problems = [];

const allowed = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^dist\/(?:[\w-]+\/)*[\w-]+\.(?:js|cjs|d\.ts|d\.cts)$/,
];
for (const path of files) {
  if (
    /(^|\/)(test|tests|__tests__|fixtures)\//.test(path) ||
    /\.(test|spec|test-prop)\./.test(path)
  ) {
    problems.push(`${path}: a test file`);
  } else if (path.endsWith(".map")) {
    problems.push(`${path}: a source map (the build ships none; see tsup.config.ts)`);
  } else if (!allowed.some((pattern) => pattern.test(path))) {
    problems.push(`${path}: not a built entry, package.json, README.md, LICENSE or CHANGELOG.md`);
  }
}
for (const required of ["package.json", "README.md", "LICENSE"]) {
  if (!files.has(required)) problems.push(`${required} is missing`);
}

// A sourceMappingURL comment must name a file in the tarball (or be inline).
for (const path of files) {
  if (!/\.(c?js|d\.c?ts)$/.test(path)) continue;
  const text = readFileSync(join(root, path), "utf8");
  for (const match of text.matchAll(/\/\/# sourceMappingURL=(\S+)/g)) {
    if (match[1].startsWith("data:")) continue;
    const target = join(path, "..", match[1]).split("\\").join("/");
    if (!files.has(target))
      problems.push(`${path}: its sourceMappingURL names ${target}, not in the tarball`);
  }
}

// Every path the manifest names is shipped, and every built file is named or imported.
const named = new Set();
const name = (path) => {
  if (typeof path !== "string") return;
  const clean = path.replace(/^\.\//, "");
  named.add(clean);
  if (!clean.includes("*") && !files.has(clean))
    problems.push(`package.json names ${path}, not in the tarball`);
};
const walk = (value) => {
  if (typeof value === "string") name(value);
  else if (Array.isArray(value)) value.forEach(walk);
  else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
};
for (const field of ["main", "module", "types", "typings"]) name(manifest[field]);
walk(manifest.exports);
walk(manifest.typesVersions);
walk(typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin ?? {}));
for (const path of files) {
  if (!path.startsWith("dist/") || named.has(path)) continue;
  // A built file nothing names is dead weight, unless an entry imports it.
  const reached = [...named].some((entry) => {
    if (!files.has(entry)) return false;
    const text = readFileSync(join(root, entry), "utf8");
    const relative = path.slice(entry.lastIndexOf("/") + 1);
    return text.includes(`./${relative}`) || text.includes(path);
  });
  if (!reached && !/\.d\.c?ts$/.test(path))
    problems.push(`${path}: nothing in package.json names it`);
}

if (problems.length > 0) {
  console.error(`check-tarball: ${problems.length} problem(s) in ${packed.filename}:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(
  `check-tarball: ${packed.filename}: ${packed.entryCount} files, ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked; built entries, README, LICENSE only; no tests, no source maps`,
);
