import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import {
  applyActions,
  DeleteLimitExceeded,
  hashTree,
  syncDirectories,
} from "cosmic-allocation/node";
import { determineActions } from "cosmic-allocation/sync";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, removeFolders, writeFiles } from "./folders";

afterEach(removeFolders);

function pair(sourceFiles: Record<string, string>, destFiles: Record<string, string>) {
  const source = makeFolder();
  const dest = makeFolder();
  writeFiles(source, sourceFiles);
  writeFiles(dest, destFiles);
  return { source, dest };
}

describe("syncDirectories refuses bad arguments before reading anything", () => {
  it("an empty source or destination path, which would otherwise mean the current folder", async () => {
    const { source, dest } = pair({ a: "1" }, {});
    await expect(syncDirectories("", dest)).rejects.toMatchObject({ field: "source" });
    await expect(syncDirectories(source, "")).rejects.toMatchObject({ field: "dest" });
    await expect(syncDirectories(source, dest, { backupDir: "" })).rejects.toMatchObject({
      field: "backupDir",
    });
  });

  it("a destination through a loop of symbolic links", async () => {
    const { source } = pair({ a: "1" }, {});
    const parent = makeFolder();
    symlinkSync(join(parent, "b"), join(parent, "a"));
    symlinkSync(join(parent, "a"), join(parent, "b"));
    await expect(syncDirectories(source, join(parent, "a", "x"))).rejects.toMatchObject({
      field: "dest",
      expected: "a path without a loop of symbolic links",
    });
  });

  it("a plan over the delete limit, with a typed error that says how many", async () => {
    const { source, dest } = pair({ a: "1" }, { a: "1", b: "2", c: "3" });
    const error = await syncDirectories(source, dest, { maxDelete: 1 }).catch((e: unknown) => e);
    expect(DeleteLimitExceeded.is(error) && [error.wouldDelete, error.limit, error.reason]).toEqual(
      [2, 1, "max-delete"],
    );
    expect(DeleteLimitExceeded.is(new Error("other"))).toBe(false);
  });

  it.each([-1, 1.5, "ten", "150%", "%"])("a max-delete of %j", async (maxDelete) => {
    const { source, dest } = pair({ a: "1" }, {});
    await expect(
      syncDirectories(source, dest, { maxDelete: maxDelete as number }),
    ).rejects.toMatchObject({ field: "maxDelete" });
  });
});

describe("syncDirectories checks the whole plan before the first action", () => {
  it("refuses to write a file over a folder that holds a symbolic link, or where a pipe stands", async () => {
    const { source, dest } = pair({ a: "file now", "b.txt": "new", pipe: "p" }, {});
    mkdirSync(join(dest, "a"));
    symlinkSync("/", join(dest, "a", "link"));
    await expect(syncDirectories(source, dest, { dryRun: true })).rejects.toMatchObject({
      code: "PATH_OCCUPIED",
      path: "a",
      found: "directory",
    });
    rmSync(join(dest, "a"), { recursive: true });
    execFileSync("mkfifo", [join(dest, "pipe")]);
    await expect(syncDirectories(source, dest)).rejects.toMatchObject({
      path: "pipe",
      found: "special",
    });
    expect(readFiles(dest)).toEqual({});
  });
});

describe("what a sync keeps and counts", () => {
  it("leaves the mode of an excluded file alone, and counts a dry run's duplicates and bytes", async () => {
    const { source, dest } = pair(
      { "x.log": "same", a: "dup", b: "dup" },
      { "x.log": "same", a: "dup" },
    );
    chmodSync(join(source, "x.log"), 0o600);
    chmodSync(join(dest, "x.log"), 0o644);
    const dry = await syncDirectories(source, dest, {
      dryRun: true,
      exclude: ["*.log"],
      cache: false,
    });
    expect(dry).toMatchObject({ duplicated: 1, bytesWritten: 3, bytesTransferred: 0 });
    await syncDirectories(source, dest, { exclude: ["*.log"], cache: false });
    expect(statSync(join(dest, "x.log")).mode & 0o777).toBe(0o644);
    expect(readFiles(dest)).toEqual({ "x.log": "same", a: "dup", b: "dup" });
  });

  it("refuses a copy whose source file is gone since planning", async () => {
    const { source, dest } = pair({ a: "1" }, {});
    const [from, to] = await Promise.all([hashTree(source), hashTree(dest)]);
    const plan = determineActions(from.files, to.files);
    rmSync(join(source, "a"));
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "CONTENT_CHANGED",
      side: "source",
      actual: "(nothing)",
    });
  });
});

describe("backups", () => {
  it("on another file system, the saved files are copied and checked, then removed from the destination", async () => {
    const shm = "/dev/shm";
    if (!existsSync(shm) || statSync(shm).dev === statSync(makeFolder()).dev) return;
    const backup = mkdtempSync(join(shm, "cosmic-backup-"));
    try {
      const { source, dest } = pair({ edited: "v2" }, { edited: "v1", "old/gone": "bye" });
      const summary = await syncDirectories(source, dest, { backupDir: backup });
      expect(summary.backedUp).toBe(2);
      expect(readFiles(dest)).toEqual({ edited: "v2" });
      expect(readFiles(backup)).toEqual({ edited: "v1", "old/gone": "bye" });
    } finally {
      rmSync(backup, { recursive: true, force: true });
    }
  });

  it("replace an older backup at the same path, but never a folder there", async () => {
    const backup = makeFolder();
    const { source, dest } = pair({}, { keep: "k", gone: "v2" });
    writeFiles(backup, { gone: "v1" });
    await syncDirectories(source, dest, { backupDir: backup, maxDelete: 5, exclude: ["keep"] });
    expect(readFiles(backup)).toEqual({ gone: "v2" });
    writeFiles(dest, { "sub/file": "x" });
    writeFiles(backup, { "sub/file/inside": "folder in the way" });
    await expect(
      syncDirectories(source, dest, { backupDir: backup, exclude: ["keep"] }),
    ).rejects.toMatchObject({
      code: "PATH_OCCUPIED",
      path: "sub/file",
    });
    expect(readFiles(dest)).toEqual({ keep: "k", "sub/file": "x" });
  });

  it("applyActions needs a backup folder for a plan with backups", async () => {
    const { source, dest } = pair({}, { a: "1" });
    await expect(
      applyActions([{ type: "backup", path: "a", hash: "h", mode: "move" }], { source, dest }),
    ).rejects.toMatchObject({ field: "backupDir" });
    await expect(
      applyActions([{ type: "backup", path: "a", hash: "h", mode: "swap" } as never], {
        source,
        dest,
        backupDir: makeFolder(),
      }),
    ).rejects.toMatchObject({ field: "actions[0].mode" });
  });
});

describe("an entry that cannot be read, even by root", () => {
  it("a folder whose path is longer than the system allows is reported unreadable; what stands above it stays, the rest syncs", async () => {
    const { source, dest } = pair(
      { "ok.txt": "fine" },
      { deep: "a file above it", "stale.txt": "x" },
    );
    const name = "n".repeat(200);
    const home = process.cwd();
    mkdirSync(join(source, "deep"));
    // Only relative paths reach that deep: walk down with chdir.
    process.chdir(join(source, "deep"));
    try {
      for (let depth = source.length; depth < 4_400; depth += name.length + 1) {
        mkdirSync(name);
        process.chdir(name);
      }
      writeFileSync("bottom.txt", "out of reach");
    } finally {
      process.chdir(home);
    }
    try {
      const summary = await syncDirectories(source, dest, { cache: false });
      expect(summary.complete).toBe(false);
      expect(summary.skipped.source).toHaveLength(1);
      expect(summary.skipped.source[0]).toMatchObject({
        kind: "unreadable",
        reason: "ENAMETOOLONG",
      });
      expect(readFiles(dest)).toEqual({ deep: "a file above it", "ok.txt": "fine" });
    } finally {
      execFileSync("rm", ["-rf", join(source, "deep")]);
    }
  });
});
