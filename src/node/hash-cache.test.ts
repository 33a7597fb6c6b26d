import { homedir } from "node:os";
import { describe, expect, it } from "vitest";
import { defaultCacheFolder, HashCache } from "./hash-cache";

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
});
