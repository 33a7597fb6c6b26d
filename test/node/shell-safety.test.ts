import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyActions, hashTree, syncDirectories } from "cosmic-allocation/node";
import { determineActions, type SyncAction } from "cosmic-allocation/sync";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, removeFolders, sha256, writeFiles } from "./folders";

afterEach(removeFolders);

async function planFor(source: string, dest: string): Promise<SyncAction[]> {
  const [from, to] = await Promise.all([hashTree(source), hashTree(dest)]);
  return determineActions(from.files, to.files);
}

/** Replaces a folder of `root` with a symbolic link to `target`, as another user of the disk could between planning and applying. */
function swapForLink(root: string, folder: string, target: string): void {
  renameSync(join(root, folder), join(root, `${folder}-moved-away`));
  symlinkSync(target, join(root, folder));
}

describe("no action goes through a symbolic link that appeared after planning", () => {
  it("a planned delete of a/x.txt does not delete x.txt in the folder a link put in place of a", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const outside = makeFolder();
    writeFiles(source, { keep: "k" });
    writeFiles(dest, { keep: "k", "a/x.txt": "same" });
    writeFiles(outside, { "x.txt": "same" });
    const plan = await planFor(source, dest);
    expect(plan).toContainEqual({ type: "delete", path: "a/x.txt", hash: sha256("same") });
    swapForLink(dest, "a", outside);
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "PATH_OCCUPIED",
      path: "a",
      found: "symlink",
    });
    expect(readFiles(outside)).toEqual({ "x.txt": "same" });
  });

  it("a planned move of a/y.txt to y.txt does not pull y.txt from the folder a link put in place of a", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const outside = makeFolder();
    writeFiles(source, { "y.txt": "secret-shaped" });
    writeFiles(dest, { "a/y.txt": "secret-shaped" });
    writeFiles(outside, { "y.txt": "secret-shaped" });
    const plan = await planFor(source, dest);
    expect(plan.map((action) => action.type)).toEqual(["move"]);
    swapForLink(dest, "a", outside);
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "PATH_OCCUPIED",
      found: "symlink",
    });
    expect(readFiles(outside)).toEqual({ "y.txt": "secret-shaped" });
    expect(existsSync(join(dest, "y.txt"))).toBe(false);
  });

  it("a planned copy into docs/ does not write into the folder a link put in place of docs", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const outside = makeFolder();
    writeFiles(source, { "docs/a": "x" });
    mkdirSync(join(dest, "docs"));
    const plan = await planFor(source, dest);
    swapForLink(dest, "docs", outside);
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "PATH_OCCUPIED",
      path: "docs",
      found: "symlink",
    });
    expect(readdirSync(outside)).toEqual([]);
  });

  it("a planned copy does not read a source file through a source folder swapped for a link", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const outside = makeFolder();
    writeFiles(source, { "sub/a.txt": "public" });
    writeFiles(outside, { "a.txt": "public" });
    const plan = await planFor(source, dest);
    swapForLink(source, "sub", outside);
    await expect(applyActions(plan, { source, dest })).rejects.toMatchObject({
      code: "PATH_OCCUPIED",
      found: "symlink",
    });
    expect(readFiles(dest)).toEqual({});
  });

  it("a destination folder swapped for a link during the run stops it before the next action", async () => {
    const parent = makeFolder();
    const source = makeFolder();
    const outside = makeFolder();
    const dest = join(parent, "dest");
    writeFiles(source, { a: "1", b: "2" });
    mkdirSync(dest);
    const plan = await planFor(source, dest);
    const run = applyActions(plan, {
      source,
      dest,
      onProgress: ({ done }) => {
        if (done === 1) swapForLink(parent, "dest", outside);
      },
    });
    await expect(run).rejects.toMatchObject({ code: "PATH_OCCUPIED", path: ".", found: "symlink" });
    expect(readdirSync(outside)).toEqual([]);
  });

  it.runIf(process.platform === "linux")(
    "a subfolder swapped for a link during the run: the later actions in it happen in the folder that was checked, never through the link",
    async () => {
      const source = makeFolder();
      const dest = makeFolder();
      const outside = makeFolder();
      writeFiles(source, { "a/1.txt": "one", "a/2.txt": "two", "a/3.txt": "three" });
      writeFiles(dest, { "a/old.txt": "old", "a/2.txt": "stale" });
      writeFiles(outside, { "old.txt": "old", "2.txt": "stale" });
      const plan = await planFor(source, dest);
      const run = applyActions(plan, {
        source,
        dest,
        onProgress: ({ done }) => {
          if (done === 1) swapForLink(dest, "a", outside);
        },
      });
      await run;
      // The link's target is untouched: nothing written, replaced or deleted there.
      expect(readFiles(outside)).toEqual({ "old.txt": "old", "2.txt": "stale" });
      // The actions landed in the folder that was checked, now under its new name.
      expect(readFiles(join(dest, "a-moved-away"))).toEqual({
        "1.txt": "one",
        "2.txt": "two",
        "3.txt": "three",
      });
    },
  );
});

describe("a destination inside the source is refused however it is spelled", () => {
  it("through a link to a folder of the source that does not exist yet", async () => {
    const source = makeFolder();
    const elsewhere = makeFolder();
    writeFiles(source, { a: "1" });
    symlinkSync(join(source, "not-yet"), join(elsewhere, "link"));
    await expect(syncDirectories(source, join(elsewhere, "link", "backup"))).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
      field: "dest",
    });
    expect(existsSync(join(source, "not-yet"))).toBe(false);
  });

  it("through a relative link, a link to the source itself, and .. after a link", async () => {
    const source = makeFolder();
    const elsewhere = makeFolder();
    writeFiles(source, { "deep/a": "1" });
    symlinkSync(source, join(elsewhere, "to-source"));
    symlinkSync(join(source, "deep"), join(elsewhere, "to-deep"));
    symlinkSync("../../", join(source, "deep", "up"));
    for (const dest of [
      join(elsewhere, "to-source", "copy"),
      // Spelled by hand: path.join would fold `to-deep/..` into `elsewhere`, which the kernel does not.
      `${elsewhere}/to-deep/../copy`,
      join(source, "deep", "up", basename(source), "copy"),
    ]) {
      await expect(syncDirectories(source, dest)).rejects.toMatchObject({ field: "dest" });
    }
  });
});

describe("names that are not UTF-8", () => {
  const name = (bytes: number[]) => Buffer.from([0x6e, 0x61, 0x6d, 0x65, ...bytes]);
  const pathOf = (root: string, bytes: Buffer) => Buffer.concat([Buffer.from(`${root}/`), bytes]);

  it("are reported, each under its own escaped name, left alone, and never stop the sync", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "ok.txt": "fine" });
    writeFileSync(pathOf(source, name([0xff])), "one");
    writeFileSync(pathOf(source, name([0xfe])), "two");
    mkdirSync(pathOf(source, name([0xc3, 0x28])));
    writeFileSync(pathOf(dest, name([0x80])), "theirs");
    const summary = await syncDirectories(source, dest);
    expect(readFileSync(join(dest, "ok.txt"), "utf8")).toBe("fine");
    expect(readdirSync(dest, { encoding: "buffer" })).toHaveLength(2);
    expect(summary.skipped.source).toEqual([
      { path: "name\\xc3(", kind: "non-utf8" },
      { path: "name\\xfe", kind: "non-utf8" },
      { path: "name\\xff", kind: "non-utf8" },
    ]);
    expect(summary.skipped.dest).toEqual([{ path: "name\\x80", kind: "non-utf8" }]);
    expect(existsSync(pathOf(dest, name([0x80])))).toBe(true);
    expect(summary.complete).toBe(true);
  });

  it("a name that spells U+FFFD in valid UTF-8 is a name like any other, beside one that is not UTF-8 or not", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "a\uFFFD.txt": "replacement", "folder/b\uFFFD.txt": "deeper" });
    writeFileSync(pathOf(source, name([0xff])), "bytes");
    const summary = await syncDirectories(source, dest);
    expect(readFileSync(join(dest, "a\uFFFD.txt"), "utf8")).toBe("replacement");
    expect(readFileSync(join(dest, "folder/b\uFFFD.txt"), "utf8")).toBe("deeper");
    expect(summary.copied).toBe(2);
    expect(summary.skipped.source).toEqual([{ path: "name\\xff", kind: "non-utf8" }]);
  });
});

describe("modes and modification times are kept, as rsync -a keeps them", () => {
  it("a copied file keeps its mode and time; a matching file with another mode or time gets them set, not copied", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "run.sh": "#!/bin/sh\n", "same.txt": "same", "moved.txt": "moving" });
    writeFiles(dest, { "same.txt": "same", "old-name.txt": "moving" });
    chmodSync(join(source, "run.sh"), 0o755);
    chmodSync(join(source, "same.txt"), 0o640);
    chmodSync(join(source, "moved.txt"), 0o600);
    utimesSync(join(source, "run.sh"), 1_000_000_000, 1_000_000_000.25);
    utimesSync(join(source, "same.txt"), 1_100_000_000, 1_100_000_000);
    utimesSync(join(source, "moved.txt"), 1_200_000_000, 1_200_000_000);
    const summary = await syncDirectories(source, dest);
    expect(summary).toMatchObject({ copied: 1, moved: 1, updated: 1, bytesTransferred: 10 });
    for (const file of ["run.sh", "same.txt", "moved.txt"]) {
      const want = statSync(join(source, file));
      const got = statSync(join(dest, file));
      expect([file, got.mode & 0o7777, Math.round(got.mtimeMs)]).toEqual([
        file,
        want.mode & 0o7777,
        Math.round(want.mtimeMs),
      ]);
    }
    const again = await syncDirectories(source, dest, { dryRun: true });
    expect(again.actions).toEqual([]);
    expect(again.updated).toBe(0);
  });

  it("drops set-user-ID and set-group-ID bits, which would hand the syncing user's rights to the source's author", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { tool: "binary" });
    chmodSync(join(source, "tool"), 0o6755);
    await syncDirectories(source, dest);
    expect(statSync(join(dest, "tool")).mode & 0o7777).toBe(0o755);
    expect((await syncDirectories(source, dest, { dryRun: true })).updated).toBe(0);
  });
});

describe("the hash cache never makes a wrong plan", () => {
  it("a file edited after it was cached, with its size and time put back, is read again", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const cache = makeFolder();
    writeFiles(source, { a: "AAAA", b: "BBBB" });
    writeFiles(dest, { a: "AAAA", b: "BBBB" });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await syncDirectories(source, dest, { cache })).actions).toEqual([]);
    const before = statSync(join(dest, "a"));
    writeFileSync(join(dest, "a"), "ZZZZ");
    utimesSync(join(dest, "a"), before.atime, before.mtime);
    const summary = await syncDirectories(source, dest, { cache });
    expect(summary.actions).toEqual([
      { type: "copy", from: "a", to: "a", hash: sha256("AAAA"), replaces: sha256("ZZZZ") },
    ]);
    expect(readFiles(dest)).toEqual({ a: "AAAA", b: "BBBB" });
  }, 10_000);

  it("a corrupt, foreign or forged cache file is ignored", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const cache = makeFolder();
    writeFiles(source, { a: "new" });
    writeFiles(dest, { a: "old" });
    await syncDirectories(source, dest, { cache, dryRun: true });
    for (const text of ["{not json", JSON.stringify({ format: "other" }), "[]"]) {
      for (const file of readdirSync(cache)) writeFileSync(join(cache, file), text);
      expect((await syncDirectories(source, dest, { cache, dryRun: true })).actions).toHaveLength(
        1,
      );
    }
    const forged = readdirSync(cache).map((file) => join(cache, file));
    for (const file of forged) chmodSync(file, 0o666);
    expect((await syncDirectories(source, dest, { cache, dryRun: true })).actions).toHaveLength(1);
  });

  it("is never kept inside the trees it mirrors", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { a: "1" });
    await syncDirectories(source, dest, { cache: join(dest, ".cache") });
    await syncDirectories(source, dest, { cache: join(source, ".cache") });
    expect(readFiles(dest)).toEqual({ a: "1" });
    expect(existsSync(join(source, ".cache"))).toBe(false);
  });
});

const cliBin = fileURLToPath(new URL("../../src/node/cli-bin.ts", import.meta.url));
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/**
 * Runs `cosmic-sync` in a child process. Root reads every file whatever its
 * mode, so as root the child runs as `nobody`, for whom a mode of 000 does
 * make a file unreadable.
 */
function runUnprivileged(args: readonly string[], owned: readonly string[]) {
  if (asRoot) for (const path of owned) chownSync(path, NOBODY, NOBODY);
  const result = spawnSync(process.execPath, ["--import", "tsx", cliBin, ...args], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: { ...process.env, XDG_CACHE_HOME: join(owned[0] as string, "..", "cache-of-nobody") },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// As root the check needs `nobody` to reach this checkout and its node_modules;
// a clone under a private folder (mode 700 above it) does not allow that.
const nobodyCanRun =
  !asRoot ||
  spawnSync(process.execPath, ["--import", "tsx", "-e", "0"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    uid: NOBODY,
    gid: NOBODY,
  }).status === 0;

describe("an unreadable file or folder", () => {
  it.skipIf(!nobodyCanRun)(
    "is reported, exit code 1, and everything else still syncs; what stands at its path in the destination is left alone",
    () => {
      const parent = makeFolder();
      chmodSync(parent, 0o755);
      const source = join(parent, "source");
      const dest = join(parent, "dest");
      writeFiles(source, { "ok.txt": "fine", "secret.txt": "private", "locked/inner.txt": "x" });
      writeFiles(dest, { "secret.txt": "stale", "locked/old.txt": "kept", "gone.txt": "bye" });
      for (const folder of [source, join(source, "locked")]) chmodSync(folder, 0o755);
      chmodSync(join(source, "secret.txt"), 0o000);
      chmodSync(join(source, "locked"), 0o000);
      const { code, stdout, stderr } = runUnprivileged(
        ["--json", source, dest],
        [
          dest,
          join(dest, "locked"),
          ...["secret.txt", "locked/old.txt", "gone.txt"].map((file) => join(dest, file)),
        ],
      );
      chmodSync(join(source, "locked"), 0o755);
      expect(stderr).toContain("could not read 2 entries of the source");
      expect(code).toBe(1);
      const summary = JSON.parse(stdout);
      expect(summary.complete).toBe(false);
      expect(summary.skipped.source).toEqual([
        { path: "locked", kind: "unreadable", reason: "EACCES" },
        { path: "secret.txt", kind: "unreadable", reason: "EACCES" },
      ]);
      expect(readFiles(dest)).toEqual({
        "ok.txt": "fine",
        "secret.txt": "stale",
        "locked/old.txt": "kept",
      });
    },
    20_000,
  );
});
