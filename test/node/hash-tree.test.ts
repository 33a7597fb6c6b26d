import { execFileSync } from "node:child_process";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { hashTree } from "cosmic-allocation/node";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, removeFolders, sha256, writeFiles } from "./folders";

afterEach(removeFolders);

describe("hashTree", () => {
  it("maps every regular file's relative POSIX path to the SHA-256 of its content, in path order", async () => {
    const root = makeFolder();
    writeFiles(root, {
      "b.txt": "bee",
      "a/x.txt": "ex",
      "a/deep/y.txt": "why",
      "a-b.txt": "",
      "a.txt": "a",
    });
    const { files, sizes, bytes, skipped } = await hashTree(root);
    expect([...files]).toEqual([
      ["a-b.txt", sha256("")],
      ["a.txt", sha256("a")],
      ["a/deep/y.txt", sha256("why")],
      ["a/x.txt", sha256("ex")],
      ["b.txt", sha256("bee")],
    ]);
    expect(sizes.get("a/deep/y.txt")).toBe(3);
    expect(bytes).toBe(9);
    expect(skipped).toEqual([]);
  });

  it("gives each file's size, mode, times, inode and device, by the same paths in the same order", async () => {
    const root = makeFolder();
    writeFiles(root, { "run.sh": "#!/bin/sh\n", "notes/a.txt": "a" });
    chmodSync(join(root, "run.sh"), 0o751);
    utimesSync(join(root, "notes/a.txt"), 1_000_000, 1_234_567.5);
    const { files, sizes, stats } = await hashTree(root);
    expect([...stats.keys()]).toEqual([...files.keys()]);
    expect([...sizes]).toEqual([
      ["notes/a.txt", 1],
      ["run.sh", 10],
    ]);
    for (const path of files.keys()) {
      const found = lstatSync(join(root, path));
      expect(stats.get(path)).toEqual({
        size: found.size,
        mode: found.mode & 0o7777,
        mtimeMs: found.mtimeMs,
        ctimeMs: found.ctimeMs,
        ino: found.ino,
        dev: found.dev,
      });
    }
    expect(stats.get("run.sh")?.mode).toBe(0o751);
    expect(stats.get("notes/a.txt")?.mtimeMs).toBe(1_234_567_500);
    // Read twice, the maps are the same objects: built once.
    const tree = await hashTree(root);
    expect(tree.stats).toBe(tree.stats);
    expect(tree.sizes).toBe(tree.sizes);
  });

  it("hashes a file larger than one read chunk as one stream", async () => {
    const root = makeFolder();
    const big = "0123456789abcdef".repeat(150_000);
    writeFiles(root, { big: big });
    expect((await hashTree(root)).files.get("big")).toBe(sha256(big));
  });

  it("reports symbolic links without following them, to files or to folders", async () => {
    const root = makeFolder();
    const outside = makeFolder();
    writeFiles(outside, { "secret.txt": "outside" });
    writeFiles(root, { "real.txt": "real" });
    symlinkSync(join(outside, "secret.txt"), join(root, "file-link"));
    symlinkSync(outside, join(root, "folder-link"));
    symlinkSync(join(root, "missing"), join(root, "dangling"));
    const { files, skipped } = await hashTree(root);
    expect([...files.keys()]).toEqual(["real.txt"]);
    expect(skipped).toEqual([
      { path: "dangling", kind: "symlink" },
      { path: "file-link", kind: "symlink" },
      { path: "folder-link", kind: "symlink" },
    ]);
  });

  it("reports special files and names the sync rules refuse", async () => {
    const root = makeFolder();
    mkdirSync(join(root, "dir"));
    execFileSync("mkfifo", [join(root, "dir", "pipe")]);
    writeFileSync(join(root, "back\\slash"), "x");
    const { files, skipped } = await hashTree(root);
    expect(files.size).toBe(0);
    expect(skipped).toEqual([
      { path: "back\\slash", kind: "unsafe-name" },
      { path: "dir/pipe", kind: "special" },
    ]);
  });

  it("reports a file that became a symbolic link between the listing and the read", async () => {
    const root = makeFolder();
    writeFiles(root, { a: "1", b: "2" });
    const swap = (path: string) => {
      const other = path === "a" ? "b" : "a";
      rmSync(join(root, other));
      symlinkSync(join(root, path), join(root, other));
    };
    const { files, skipped } = await hashTree(root, { onFile: swap });
    expect(files.size).toBe(1);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.kind).toBe("symlink");
  });

  it("does not list empty folders", async () => {
    const root = makeFolder();
    mkdirSync(join(root, "empty/nested"), { recursive: true });
    expect((await hashTree(root)).files.size).toBe(0);
  });

  it("reports each file hashed to onFile", async () => {
    const root = makeFolder();
    writeFiles(root, { a: "1", "b/c": "22" });
    const seen: [string, number][] = [];
    await hashTree(root, { onFile: (path, size) => seen.push([path, size]) });
    expect(seen.sort()).toEqual([
      ["a", 1],
      ["b/c", 2],
    ]);
  });

  it("fails on a folder that does not exist rather than report it empty", async () => {
    await expect(hashTree(join(makeFolder(), "missing"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("stops when its signal is aborted", async () => {
    const root = makeFolder();
    writeFiles(root, { a: "1" });
    await expect(hashTree(root, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});
