import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyActions, hashTree, syncDirectories } from "cosmic-allocation/node";
import { determineActions } from "cosmic-allocation/sync";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { MODES, treePair } from "../sync/arbitraries";
import { makeFolder, readFiles, readFolders, removeFolders, writeFiles } from "./folders";

afterEach(removeFolders);

describe("the book's end-to-end sync tests", () => {
  it("when a file exists in the source but not the destination, it is copied", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "my-file": "I am a very useful file" });
    await syncDirectories(source, dest);
    expect(readFiles(dest)).toEqual({ "my-file": "I am a very useful file" });
  });

  it("when a file has been renamed in the source, it is renamed in the destination", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "source-filename": "I am a file that was renamed" });
    writeFiles(dest, { "dest-filename": "I am a file that was renamed" });
    const summary = await syncDirectories(source, dest);
    expect(readFiles(dest)).toEqual({ "source-filename": "I am a file that was renamed" });
    expect(summary).toMatchObject({ moved: 1, copied: 0, bytesTransferred: 0 });
  });
});

describe("syncDirectories", () => {
  it("makes the destination a mirror and reports what it did", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "a/b/c": "deep", x: "same", y: "same", z: "new!" });
    writeFiles(dest, { c: "deep", x: "same", old: "gone", "junk/j": "gone" });
    const summary = await syncDirectories(source, dest);
    expect(readFiles(dest)).toEqual(readFiles(source));
    expect(readFolders(dest)).toEqual(["a", "a/b"]);
    expect(summary).toMatchObject({
      dryRun: false,
      copied: 1,
      duplicated: 1,
      moved: 1,
      deleted: 2,
      bytesTransferred: 4,
    });
    expect(summary.actions).toHaveLength(5);
  });

  it("creates a destination that does not exist", async () => {
    const source = makeFolder();
    writeFiles(source, { a: "1" });
    const dest = join(makeFolder(), "new", "backup");
    await syncDirectories(source, dest);
    expect(readFiles(dest)).toEqual({ a: "1" });
  });

  it("in a dry run plans, counts the bytes it would transfer, and changes nothing", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { a: "12345", b: "moved" });
    writeFiles(dest, { c: "moved", d: "old" });
    const summary = await syncDirectories(source, dest, { dryRun: true });
    expect(summary).toMatchObject({
      dryRun: true,
      copied: 1,
      moved: 1,
      deleted: 1,
      bytesTransferred: 5,
    });
    expect(readFiles(dest)).toEqual({ c: "moved", d: "old" });
    const missing = join(makeFolder(), "missing");
    await syncDirectories(source, missing, { dryRun: true });
    await expect(hashTree(missing)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("leaves symbolic links alone on both sides and reports them", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { a: "1" });
    symlinkSync(join(source, "a"), join(source, "link"));
    symlinkSync(join(dest, "elsewhere"), join(dest, "their-link"));
    const summary = await syncDirectories(source, dest);
    expect(readFiles(dest)).toEqual({ a: "1" });
    expect(summary.skipped).toEqual({
      source: [{ path: "link", kind: "symlink" }],
      dest: [{ path: "their-link", kind: "symlink" }],
    });
  });

  it("plans with the naming options: a case-only rename goes through a temporary name", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "readme.md": "r" });
    writeFiles(dest, { "README.md": "r" });
    const summary = await syncDirectories(source, dest, { caseInsensitive: true });
    expect(summary.moved).toBe(2);
    expect(readFiles(dest)).toEqual({ "readme.md": "r" });
  });

  it("refuses folders inside one another, and a source that is not a folder", async () => {
    const source = makeFolder();
    writeFiles(source, { "sub/a": "1", file: "f" });
    await expect(syncDirectories(source, join(source, "sub"))).rejects.toMatchObject({
      field: "dest",
    });
    await expect(syncDirectories(join(source, "sub"), source)).rejects.toMatchObject({
      field: "dest",
    });
    await expect(syncDirectories(source, source)).rejects.toMatchObject({ field: "dest" });
    await expect(syncDirectories(join(source, "file"), makeFolder())).rejects.toMatchObject({
      field: "source",
    });
    await expect(syncDirectories(join(source, "missing"), makeFolder())).rejects.toMatchObject({
      field: "source",
    });
  });

  it("reports hashing, then applying, progress", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { a: "1", b: "2" });
    writeFiles(dest, { c: "3" });
    const phases: string[] = [];
    await syncDirectories(source, dest, { onProgress: (progress) => phases.push(progress.phase) });
    expect(phases).toEqual(["hashing", "hashing", "hashing", "applying", "applying", "applying"]);
  });
});

/** Writes two trees of content labels as folders of files whose content is the label. */
function onDisk(source: ReadonlyMap<string, string>, dest: ReadonlyMap<string, string>) {
  const roots = { sourceRoot: makeFolder(), destRoot: makeFolder() };
  writeFiles(roots.sourceRoot, Object.fromEntries(source));
  writeFiles(roots.destRoot, Object.fromEntries(dest));
  return roots;
}

/** A second plain run leaves the destination a mirror of the source, files and folders. */
async function expectSecondRunFinishes(sourceRoot: string, destRoot: string): Promise<void> {
  await syncDirectories(sourceRoot, destRoot, { force: true });
  expect(readFiles(destRoot)).toEqual(readFiles(sourceRoot));
  expect(readFolders(destRoot)).toEqual(readFolders(sourceRoot));
  removeFolders();
}

const { names, options } = MODES[0] as (typeof MODES)[number];
const pairs = treePair(names, options);

describe("interrupted syncs", () => {
  it("aborted at any step, the destination keeps every content it needs, and a second run finishes the job", async () => {
    await fc.assert(
      fc.asyncProperty(pairs, fc.nat(), async ({ source, dest }, stop) => {
        const { sourceRoot, destRoot } = onDisk(source, dest);
        const needed = [...new Set(source.values())].filter((content) =>
          [...dest.values()].includes(content),
        );
        const controller = new AbortController();
        const steps = determineActions(source, dest).length;
        await syncDirectories(sourceRoot, destRoot, {
          force: true,
          signal: controller.signal,
          onProgress: (progress) => {
            if (progress.phase === "applying" && progress.actionsDone === stop % (steps + 1))
              controller.abort();
          },
        }).catch((error: unknown) => {
          if ((error as Error).name !== "AbortError") throw error;
        });
        const meanwhile = new Set(Object.values(readFiles(destRoot)));
        expect(needed.filter((content) => !meanwhile.has(content))).toEqual([]);
        await expectSecondRunFinishes(sourceRoot, destRoot);
      }),
      { numRuns: 25 },
    );
  });

  it("crashed after any step, with a half-written copy left behind, a second run finishes the job", async () => {
    await fc.assert(
      fc.asyncProperty(pairs, fc.nat(), async ({ source, dest }, stop) => {
        const { sourceRoot, destRoot } = onDisk(source, dest);
        const [from, to] = await Promise.all([hashTree(sourceRoot), hashTree(destRoot)]);
        const plan = determineActions(from.files, to.files);
        await applyActions(plan.slice(0, stop % (plan.length + 1)), {
          source: sourceRoot,
          dest: destRoot,
        });
        writeFileSync(join(destRoot, ".cosmic-sync-0123456789ab.part"), "half a fi");
        await expectSecondRunFinishes(sourceRoot, destRoot);
      }),
      { numRuns: 25 },
    );
  });
});
