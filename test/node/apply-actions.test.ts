import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "cosmic-allocation";
import { applyActions, hashTree } from "cosmic-allocation/node";
import {
  ContentChanged,
  determineActions,
  PathOccupied,
  type SyncAction,
  UnsafePath,
} from "cosmic-allocation/sync";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, readFolders, removeFolders, sha256, writeFiles } from "./folders";

afterEach(removeFolders);

async function planFor(source: string, dest: string): Promise<SyncAction[]> {
  const [from, to] = await Promise.all([hashTree(source), hashTree(dest)]);
  return determineActions(from.files, to.files);
}

function folders(sourceFiles: Record<string, string>, destFiles: Record<string, string>) {
  const source = makeFolder();
  const dest = makeFolder();
  writeFiles(source, sourceFiles);
  writeFiles(dest, destFiles);
  return { source, dest };
}

describe("applyActions", () => {
  it("applies a plan with a swap, a folder rename, an edit and a file turned folder", async () => {
    const { source, dest } = folders(
      { a: "B", b: "A", "new/x": "X", "new/y": "Y", "f/inside": "I", notes: "v2" },
      { a: "A", b: "B", "old/x": "X", "old/y": "Y", f: "gone", notes: "v1" },
    );
    const summary = await applyActions(await planFor(source, dest), { source, dest });
    expect(readFiles(dest)).toEqual(readFiles(source));
    expect(readFolders(dest)).toEqual(["f", "new"]);
    expect(summary).toMatchObject({ copied: 2, bytesTransferred: 3 });
  });

  it("duplicates within the destination and counts only copies as transferred", async () => {
    const { source, dest } = folders({ a: "same", "b/c": "same" }, { a: "same" });
    const summary = await applyActions(await planFor(source, dest), { source, dest });
    expect(readFiles(dest)).toEqual({ a: "same", "b/c": "same" });
    expect(summary).toMatchObject({ duplicated: 1, copied: 0, bytesTransferred: 0 });
  });

  it("refuses to move a file whose content changed since it was hashed, and leaves it in place", async () => {
    const { source, dest } = folders({ b: "content" }, { a: "content" });
    const plan = await planFor(source, dest);
    writeFileSync(join(dest, "a"), "edited meanwhile");
    const error = await applyActions(plan, { source, dest }).catch((e: unknown) => e);
    expect(ContentChanged.is(error) && [error.path, error.side, error.actual]).toEqual([
      "a",
      "dest",
      sha256("edited meanwhile"),
    ]);
    expect(readFiles(dest)).toEqual({ a: "edited meanwhile" });
  });

  it("refuses to put a copy in place when the source changed, and leaves no part file", async () => {
    const { source, dest } = folders({ a: "v1" }, {});
    const plan = await planFor(source, dest);
    writeFileSync(join(source, "a"), "v2");
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "CONTENT_CHANGED",
      side: "source",
    });
    expect(readFiles(dest)).toEqual({});
    expect(readFolders(dest)).toEqual([]);
  });

  it("refuses to duplicate a destination file whose content changed", async () => {
    const { source, dest } = folders({ a: "x", b: "x" }, { a: "x" });
    const plan = await planFor(source, dest);
    writeFileSync(join(dest, "a"), "y");
    await expect(applyActions(plan, { source, dest })).rejects.toBeInstanceOf(ContentChanged);
    expect(readFiles(dest)).toEqual({ a: "y" });
  });

  it("refuses to move a file replaced by a symbolic link or a pipe since it was hashed", async () => {
    const { source, dest } = folders({ b: "x", d: "y" }, { a: "x", c: "y" });
    const plan = await planFor(source, dest);
    rmSync(join(dest, "a"));
    symlinkSync(join(source, "b"), join(dest, "a"));
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "CONTENT_CHANGED",
      actual: "(a symlink, not a file)",
    });
    rmSync(join(dest, "a"));
    writeFiles(dest, { a: "x" });
    rmSync(join(dest, "c"));
    execFileSync("mkfifo", [join(dest, "c")]);
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      actual: "(a special, not a file)",
    });
  });

  it("refuses a move whose file is gone since planning", async () => {
    const { source, dest } = folders({ b: "x" }, { a: "x" });
    const plan = await planFor(source, dest);
    rmSync(join(dest, "a"));
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "CONTENT_CHANGED",
      path: "a",
      actual: "(nothing)",
    });
  });

  it("refuses a delete whose path runs through a file", async () => {
    const { source, dest } = folders({}, { f: "x" });
    await expect(
      applyActions([{ type: "delete", path: "f/x", hash: sha256("x") }], { source, dest }),
    ).rejects.toMatchObject({ code: "PATH_OCCUPIED", path: "f", found: "file" });
    expect(readFiles(dest)).toEqual({ f: "x" });
  });

  it("never overwrites a file that appeared at a target after planning", async () => {
    const { source, dest } = folders({ a: "mine" }, {});
    const plan = await planFor(source, dest);
    writeFiles(dest, { a: "theirs" });
    const error = await applyActions(plan, { source, dest }).catch((e: unknown) => e);
    expect(PathOccupied.is(error) && [error.path, error.found]).toEqual(["a", "file"]);
    expect(readFiles(dest)).toEqual({ a: "theirs" });
  });

  it("never moves onto a name taken after planning", async () => {
    const { source, dest } = folders({ b: "x" }, { a: "x" });
    const plan = await planFor(source, dest);
    writeFiles(dest, { b: "late" });
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "PATH_OCCUPIED",
      path: "b",
    });
    expect(readFiles(dest)).toEqual({ a: "x", b: "late" });
  });

  it("never writes through a symbolic link to a folder", async () => {
    const outside = makeFolder();
    const { source, dest } = folders({ "docs/a": "x" }, {});
    symlinkSync(outside, join(dest, "docs"));
    const error = await applyActions(await planFor(source, dest), { source, dest }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "PATH_OCCUPIED", path: "docs", found: "symlink" });
    expect(readFiles(outside)).toEqual({});
  });

  it("never replaces a symbolic link or a folder with content at a target", async () => {
    const { source, dest } = folders({ link: "x", full: "y" }, { "full/keep": "k" });
    symlinkSync(join(dest, "nowhere"), join(dest, "link"));
    const plan: SyncAction[] = [
      { type: "copy", from: "link", to: "link", hash: sha256("x"), replaces: null },
    ];
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({ found: "symlink" });
    const onFolder: SyncAction[] = [
      { type: "copy", from: "full", to: "full", hash: sha256("y"), replaces: null },
    ];
    await expect(applyActions(onFolder, { source, dest })).rejects.toMatchObject({
      found: "directory",
    });
  });

  it("removes an empty folder standing where a file goes, which a tree of files cannot show", async () => {
    const { source, dest } = folders({ a: "x" }, {});
    mkdirSync(join(dest, "a/empty/nested"), { recursive: true });
    await applyActions(await planFor(source, dest), { source, dest });
    expect(readFiles(dest)).toEqual({ a: "x" });
  });

  it("refuses to delete what is not a regular file", async () => {
    const { source, dest } = folders({}, { "d/f": "x" });
    await expect(
      applyActions([{ type: "delete", path: "d", hash: sha256("x") }], { source, dest }),
    ).rejects.toMatchObject({ code: "CONTENT_CHANGED", actual: "(a directory, not a file)" });
    expect(readFiles(dest)).toEqual({ "d/f": "x" });
  });

  it("rejects a malformed plan before doing anything", async () => {
    const { source, dest } = folders({ a: "x" }, { keep: "k" });
    const hash = sha256("x");
    const bad: [unknown, unknown][] = [
      [{ type: "copy", from: "a", to: "../escape", hash }, UnsafePath],
      [{ type: "delete", path: "/etc/passwd" }, UnsafePath],
      [{ type: "copy", from: "a", to: "a", hash: "" }, ValidationError],
      [{ type: "rename", from: "a", to: "b" }, ValidationError],
      [null, ValidationError],
    ];
    for (const [action, error] of bad) {
      const plan = [
        { type: "copy", from: "a", to: "a", hash, replaces: null },
        action,
      ] as SyncAction[];
      await expect(applyActions(plan, { source, dest })).rejects.toBeInstanceOf(error);
    }
    expect(readFiles(dest)).toEqual({ keep: "k" });
  });

  it("reports progress after each action and stops between actions when aborted", async () => {
    const { source, dest } = folders({ a: "1", b: "2", c: "3" }, {});
    const plan = await planFor(source, dest);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = applyActions(plan, {
      source,
      dest,
      signal: controller.signal,
      onProgress: ({ done, total }) => {
        seen.push(done);
        expect(total).toBe(3);
        if (done === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toEqual([1, 2]);
    expect(readFiles(dest)).toEqual({ a: "1", b: "2" });
  });
});

describe("applyActions makes the folders of every write before the first file", () => {
  it("has made the folders of the last write when the first is done", async () => {
    const { source, dest } = folders({ "a/1": "1", "b/c/2": "2", "d/3": "3" }, {});
    let foldersAfterFirst: string[] = [];
    await applyActions(await planFor(source, dest), {
      source,
      dest,
      onProgress: ({ done }) => {
        if (done === 1) foldersAfterFirst = readFolders(dest);
      },
    });
    expect(foldersAfterFirst).toEqual(["a", "b", "b/c", "d"]);
    expect(readFiles(dest)).toEqual(readFiles(source));
  });

  it("removes the folders it made ahead that a stopped run left empty, and no folder that was there", async () => {
    const { source, dest } = folders({ "a/1": "1", "b/c/2": "2", "d/3": "3" }, {});
    mkdirSync(join(dest, "kept-empty"));
    const plan = await planFor(source, dest);
    const controller = new AbortController();
    const run = applyActions(plan, {
      source,
      dest,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(readFiles(dest)).toEqual({ "a/1": "1" });
    expect(readFolders(dest)).toEqual(["a", "kept-empty"]);
  });

  it("leaves a folder it cannot make yet to its write: a file in the way, which the plan deletes first", async () => {
    const { source, dest } = folders({ "f/inside": "I", "g/x": "X" }, { f: "gone" });
    const plan = await planFor(source, dest);
    expect(plan.map((action) => action.type)).toEqual(["delete", "copy", "copy"]);
    let foldersAfterFirst: string[] = [];
    await applyActions(plan, {
      source,
      dest,
      onProgress: ({ done }) => {
        if (done === 1) foldersAfterFirst = readFolders(dest);
      },
    });
    expect(foldersAfterFirst).toEqual(["g"]);
    expect(readFiles(dest)).toEqual(readFiles(source));
  });

  it("stops at the write whose folder became a link to elsewhere, having written nothing through it", async () => {
    const outside = makeFolder();
    const { source, dest } = folders({ "a/x": "X", "link/y": "Y" }, {});
    const plan = await planFor(source, dest);
    symlinkSync(outside, join(dest, "link"));
    const error = await applyActions(plan, { source, dest }).catch((e: unknown) => e);
    expect(PathOccupied.is(error) && [error.path, error.found]).toEqual(["link", "symlink"]);
    expect(readFiles(outside)).toEqual({});
    expect(readFiles(dest)).toEqual({ "a/x": "X" });
  });
});
