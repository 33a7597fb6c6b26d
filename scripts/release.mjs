// Prepares a release and stops at the publish dry run: `npm run release`.
//
//   node scripts/release.mjs [--no-test]
//
// 1. `changeset version`: bumps package.json's version from the changesets in
//    .changeset/, writes their summaries into CHANGELOG.md and deletes them;
// 2. re-resolves package-lock.json, whose root entry carries the version;
// 3. `npm run build`, then `npm test` (left out with --no-test, for a quick look
//    at the changelog only), then `npm publish --dry-run`, which lists what
//    would be uploaded.
//
// Nothing is committed, tagged or published: the version bump stays in the
// working tree. Under CI (CI=true) that is the point: the job checks that a
// release would work and throws its checkout away. By hand, review the diff,
// commit it, tag it and publish, as CONTRIBUTING.md describes.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runTests = !process.argv.includes("--no-test");
const step = (message) => console.log(`\nrelease: ${message}`);
const run = (command, args) =>
  execFileSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
const version = () => JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

const changesets = readdirSync(join(root, ".changeset")).filter(
  (name) => name.endsWith(".md") && name !== "README.md",
);
if (changesets.length === 0) {
  console.error("release: no changesets in .changeset/: nothing to release");
  process.exit(1);
}

try {
  const before = version();
  step(`changeset version (${changesets.length} changesets, from ${before})`);
  run("npx", ["changeset", "version"]);
  const after = version();
  if (after === before) throw new Error(`changeset version left the version at ${before}`);
  if (!existsSync(join(root, "CHANGELOG.md"))) throw new Error("no CHANGELOG.md was written");
  const changelog = readFileSync(join(root, "CHANGELOG.md"), "utf8");
  if (!changelog.includes(`## ${after}`))
    throw new Error(`CHANGELOG.md has no section for ${after}`);

  step("npm install --package-lock-only (the lockfile records the version)");
  run("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"]);

  step("npm run build");
  run("npm", ["run", "build"]);
  if (runTests) {
    step("npm test");
    run("npm", ["test"]);
  } else {
    step("npm test: left out (--no-test)");
  }
  step("npm publish --dry-run");
  run("npm", ["publish", "--dry-run", "--ignore-scripts"]);

  step(`ready: cosmic-allocation ${before} -> ${after}; CHANGELOG.md:`);
  console.log(changelog.split(/\n(?=## )/)[1] ?? changelog);
  console.log(
    process.env.CI === "true"
      ? "release: CI: the version bump is not committed; this checkout is thrown away."
      : [
          "release: nothing is committed yet. Review `git diff`, then:",
          `  git add -A package.json package-lock.json CHANGELOG.md .changeset && git commit -m "Release ${after}"`,
          `  git tag v${after} && git push --follow-tags && npm publish`,
        ].join("\n"),
  );
} catch (error) {
  console.error(`release: FAILED: ${error.message}`);
  console.error(
    "release: undo the version bump with: git checkout package.json package-lock.json .changeset && rm -f CHANGELOG.md",
  );
  process.exit(1);
}
