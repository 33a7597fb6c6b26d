// Checks that the lockfiles (the root's and each example's) are ones that
// `npm ci` accepts on a fresh clone on any platform and that `npm install`
// leaves unchanged:
//
//   node scripts/check-lockfiles.mjs          check; exits 1 naming each problem
//   node scripts/check-lockfiles.mjs --fix    regenerate what is out of date
//
// For each project it
// - lets npm re-resolve a copy of package.json and package-lock.json
//   (`npm install --package-lock-only`, in a scratch folder, so node_modules and
//   the tree stay untouched) and fails if a single byte of the lockfile changes:
//   a contributor's `npm install` would change it the same way;
// - fails if an optional dependency (the per-platform binaries of biome,
//   rollup, esbuild, ...) has no entry: `npm ci` rejects such a lockfile on the
//   platforms it left out, however well it works here;
// - fails if the examples' lockfiles record an integrity for the packed
//   library: `.pack/cosmic-allocation.tgz` changes with every build, so a
//   pinned integrity would fail `npm ci` (EINTEGRITY) after the next change.
//   Without one, `npm ci` in an example installs whatever scripts/pack.mjs
//   packed last, and every third-party dependency stays pinned.
//
// The examples' checks need the packed tarball: run `node scripts/pack.mjs`
// first (npm test does). CONTRIBUTING.md describes the procedure.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const fix = process.argv.includes("--fix");
const tarball = join(root, ".pack", "cosmic-allocation.tgz");
const selfEntry = "node_modules/cosmic-allocation";

const projects = [
  ".",
  ...readdirSync(join(root, "examples"))
    .filter((name) => existsSync(join(root, "examples", name, "package-lock.json")))
    .map((name) => `examples/${name}`),
];

const readLock = (path) => JSON.parse(readFileSync(path, "utf8"));

/** The optional dependencies the lockfile names but holds no entry for. */
function missingOptionals(lock) {
  const packages = lock.packages ?? {};
  const missing = [];
  for (const [path, entry] of Object.entries(packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      // Node's resolution: the nearest node_modules folder up from the dependent.
      let base = path;
      let found = false;
      for (;;) {
        if (`${base === "" ? "" : `${base}/`}node_modules/${name}` in packages) {
          found = true;
          break;
        }
        if (base === "") break;
        const cut = base.lastIndexOf("/node_modules/");
        base = cut >= 0 ? base.slice(0, cut) : "";
      }
      if (!found) missing.push(`${name} (optional dependency of ${path || "the project"})`);
    }
  }
  return missing;
}

/** The lockfile npm writes for this project's package.json and lockfile, in a scratch copy. */
function reresolved(project) {
  const scratch = mkdtempSync(join(tmpdir(), "cosmic-allocation-lock-"));
  try {
    // Keep the project's depth so that "file:../../.pack/..." resolves as in the tree.
    const dir = join(scratch, project);
    mkdirSync(dir, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) {
      copyFileSync(join(root, project, file), join(dir, file));
    }
    if (project !== ".") {
      mkdirSync(join(scratch, ".pack"));
      copyFileSync(tarball, join(scratch, ".pack", "cosmic-allocation.tgz"));
    }
    execFileSync(
      "npm",
      [
        "install",
        "--package-lock-only",
        "--ignore-scripts",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
      ],
      { cwd: dir, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" },
    );
    return readFileSync(join(dir, "package-lock.json"), "utf8");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function firstDifference(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: ${JSON.stringify(a[at] ?? "")} becomes ${JSON.stringify(b[at] ?? "")} (${a.length} lines before, ${b.length} after)`;
}

const problems = [];
for (const project of projects) {
  const name = project === "." ? "package-lock.json" : `${project}/package-lock.json`;
  const lockPath = join(root, project, "package-lock.json");
  if (project !== "." && !existsSync(tarball)) {
    problems.push(
      `${name}: .pack/cosmic-allocation.tgz is missing; run node scripts/pack.mjs first`,
    );
    continue;
  }
  if (fix) {
    const lock = readLock(lockPath);
    if (lock.packages?.[selfEntry]?.integrity !== undefined) {
      delete lock.packages[selfEntry].integrity;
      writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    }
  }
  const before = readFileSync(lockPath, "utf8");
  let after;
  try {
    after = reresolved(project);
  } catch (error) {
    problems.push(`${name}: npm install --package-lock-only failed:\n${error.stderr ?? error}`);
    continue;
  }
  if (after !== before) {
    if (fix) {
      writeFileSync(lockPath, after);
      console.log(`check-lockfiles: rewrote ${name}`);
    } else {
      problems.push(`${name}: npm install would change it, ${firstDifference(before, after)}`);
    }
  }
  const lock = readLock(lockPath);
  if (lock.lockfileVersion !== 3) {
    problems.push(`${name}: lockfileVersion ${lock.lockfileVersion}, expected 3 (npm 9 or later)`);
  }
  for (const missing of missingOptionals(lock)) {
    problems.push(`${name}: no entry for ${missing}: npm ci fails on that platform`);
  }
  if (project !== ".") {
    const self = lock.packages?.[selfEntry];
    if (self === undefined) {
      problems.push(`${name}: no entry for cosmic-allocation`);
    } else if (self.integrity !== undefined) {
      problems.push(
        `${name}: records an integrity for the packed cosmic-allocation, which changes with every build; run node scripts/check-lockfiles.mjs --fix`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(`check-lockfiles: ${problems.length} problem(s):`);
  for (const problem of problems) console.error(`  ${problem}`);
  console.error("Regenerate with: node scripts/check-lockfiles.mjs --fix (see CONTRIBUTING.md)");
  process.exit(1);
}
console.log(
  `check-lockfiles: ${projects.length} lockfiles in sync (npm install leaves them unchanged, every platform's binaries listed)`,
);
