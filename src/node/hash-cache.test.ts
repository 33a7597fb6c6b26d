import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, removeFolders } from "../../test/node/folders";
import { defaultCacheFolder, HashCache, RACY_MS } from "./hash-cache";

afterEach(removeFolders);

const stats = { size: 4, mtimeMs: 1_000.5, ctimeMs: 2_000.25, ino: 77, dev: 3 };
const hash = "ab".repeat(32);
const later = 2_000.25 + RACY_MS + 1;

/** A cache folder holding one tree's cache, with `a` cached under `stats`. */
function savedCache(): string {
  const folder = makeFolder();
  const cache = HashCache.load(folder, "/tree");
  cache.set("a", stats, hash, later);
  cache.set("b/é", { ...stats, ino: 78 }, "cd".repeat(32), later);
  cache.save();
  return folder;
}

describe("the hash cache", () => {
  it("lives under $XDG_CACHE_HOME when it is absolute, else under ~/.cache", () => {
    expect(defaultCacheFolder({ XDG_CACHE_HOME: "/var/cache/me" })).toBe(
      "/var/cache/me/cosmic-sync",
    );
    expect(defaultCacheFolder({ XDG_CACHE_HOME: "relative" })).toBe(
      `${homedir()}/.cache/cosmic-sync`,
    );
    expect(defaultCacheFolder({})).toBe(`${homedir()}/.cache/cosmic-sync`);
  });

  it("with no file remembers nothing and writes nothing", () => {
    const cache = HashCache.none();
    const stats = { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, dev: 1 };
    cache.set("a", stats, "0".repeat(64), Date.now());
    cache.save();
    expect(cache.get("a", stats)).toBeUndefined();
  });

  it("gives back a saved hash while all five stats are unchanged, and no longer once any one changes", () => {
    const folder = savedCache();
    const cache = HashCache.load(folder, "/tree");
    expect(cache.get("a", stats)).toBe(hash);
    expect(cache.get("b/é", { ...stats, ino: 78 })).toBe("cd".repeat(32));
    for (const field of ["size", "mtimeMs", "ctimeMs", "ino", "dev"] as const) {
      expect(cache.get("a", { ...stats, [field]: stats[field] + 1 })).toBeUndefined();
    }
    expect(HashCache.load(folder, "/another-tree").get("a", stats)).toBeUndefined();
  });

  it("finds every record when looked up in path order, past vanished files and before new ones, and out of order too", () => {
    const folder = makeFolder();
    const first = HashCache.load(folder, "/tree");
    const names = ["d", "b/z", "a", "c", "b/a", "b-"];
    // Learned in no particular order: written in code-unit order of the paths.
    names.forEach((name, i) => {
      first.set(name, { ...stats, ino: i }, hash, later);
    });
    first.save();
    const inOrder = HashCache.load(folder, "/tree");
    // "a0" and "bb" are new; the walk skips "b/z" and "d"; the rest come in walking order.
    expect(inOrder.get("a", { ...stats, ino: 2 })).toBe(hash);
    expect(inOrder.get("a0", stats)).toBeUndefined();
    expect(inOrder.get("b-", { ...stats, ino: 5 })).toBe(hash);
    expect(inOrder.get("b/a", { ...stats, ino: 4 })).toBe(hash);
    expect(inOrder.get("bb", stats)).toBeUndefined();
    expect(inOrder.get("c", { ...stats, ino: 3 })).toBe(hash);
    // Out of order: still found.
    expect(inOrder.get("b/z", { ...stats, ino: 1 })).toBe(hash);
    expect(inOrder.get("a", { ...stats, ino: 2 })).toBe(hash);
    inOrder.save();
    // Only what this run saw is written back.
    const again = HashCache.load(folder, "/tree");
    expect(again.get("d", { ...stats, ino: 0 })).toBeUndefined();
    for (const [name, ino] of [
      ["a", 2],
      ["b-", 5],
      ["b/a", 4],
      ["b/z", 1],
      ["c", 3],
    ] as const)
      expect(again.get(name, { ...stats, ino })).toBe(hash);
  });

  it("keeps no hash of a file changed within 2 s of being read", () => {
    const folder = makeFolder();
    const cache = HashCache.load(folder, "/tree");
    cache.set("a", stats, hash, stats.ctimeMs + RACY_MS - 1);
    cache.save();
    expect(HashCache.load(folder, "/tree").get("a", stats)).toBeUndefined();
  });

  it("ignores a file with any byte changed or cut off: its SHA-256 trailer no longer matches", () => {
    const folder = savedCache();
    const [name] = readdirSync(folder);
    const file = join(folder, name as string);
    const saved = readFileSync(file);
    for (let at = 0; at < saved.length; at += 7) {
      const changed = Buffer.from(saved);
      changed[at] = (changed[at] as number) ^ 1;
      writeFileSync(file, changed);
      expect(HashCache.load(folder, "/tree").get("a", stats)).toBeUndefined();
    }
    for (const length of [0, 10, saved.length - 1]) {
      writeFileSync(file, saved.subarray(0, length));
      expect(HashCache.load(folder, "/tree").empty).toBe(true);
    }
    writeFileSync(file, saved);
    expect(HashCache.load(folder, "/tree").get("a", stats)).toBe(hash);
  });
});
