// Packs the library as npm would publish it and installs that tarball into the
// examples, so that they test exactly what users get.
//
//   node scripts/pack.mjs [--force-build] [example ...]
//
// Builds first (`npm run build`) unless dist/ is newer than every source file,
// packs into .pack/cosmic-allocation.tgz (ignored by git), then in each example
// (all of examples/*, or the ones named) runs `npm ci`, which installs exactly
// what its lockfile pins plus the tarball just packed, and checks that the
// installed copy is that tarball's.
//
// Why this works with `npm ci`: the examples declare
// "file:../../.pack/cosmic-allocation.tgz", and their lockfiles record that
// path with no integrity (the tarball changes with every build; a pinned
// integrity would fail with EINTEGRITY the moment the library changed). npm ci
// then reads the tarball afresh and never rewrites the lockfile.
// scripts/check-lockfiles.mjs keeps it so.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const forceBuild = args.includes("--force-build");
const named = args.filter((arg) => !arg.startsWith("--"));
const examplesDir = join(root, "examples");
const examples =
  named.length > 0
    ? named
    : readdirSync(examplesDir).filter((name) =>
        existsSync(join(examplesDir, name, "package.json")),
      );
const tarball = join(root, ".pack", "cosmic-allocation.tgz");

const npm = (cwd, ...npmArgs) =>
  execFileSync("npm", npmArgs, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
const step = (message) => console.log(`pack: ${message}`);

function newestIn(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, name)));
  return newest;
}

function buildIsFresh() {
  const outputs = [
    "dist/index.js",
    "dist/index.cjs",
    "dist/index.d.ts",
    "dist/testing/index.js",
  ].map((path) => join(root, path));
  if (!outputs.every((path) => existsSync(path))) return false;
  const built = Math.min(...outputs.map((path) => statSync(path).mtimeMs));
  const inputs = ["src", "package.json", "tsup.config.ts", "tsconfig.json"].map((path) =>
    join(root, path),
  );
  return Math.max(...inputs.map(newestIn)) < built;
}

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

if (forceBuild || !buildIsFresh()) {
  step("building the library (npm run build)");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
} else {
  step("dist/ is newer than the sources: not rebuilding");
}

rmSync(join(root, ".pack"), { recursive: true, force: true });
mkdirSync(join(root, ".pack"));
const [packed] = JSON.parse(npm(root, "pack", "--json", "--pack-destination", ".pack"));
renameSync(join(root, ".pack", packed.filename), tarball);
step(
  `packed ${packed.name}@${packed.version}: ${packed.entryCount} files, ${packed.size} bytes -> ${relative(root, tarball)}`,
);

for (const example of examples) {
  const cwd = join(examplesDir, example);
  step(`installing examples/${example} (npm ci)`);
  npm(cwd, "ci", "--no-audit", "--no-fund");
  for (const file of ["dist/index.js", "dist/index.cjs"]) {
    const installed = join(cwd, "node_modules", "cosmic-allocation", file);
    if (!existsSync(installed) || sha256(installed) !== sha256(join(root, file))) {
      throw new Error(`examples/${example} did not get the packed ${file}`);
    }
  }
}
step(`done: ${examples.join(", ")} use the packed tarball`);
