import { CosmicError, OutOfStock } from "cosmic-allocation";
import type * as syncEntry from "cosmic-allocation/sync";
import {
  ContentChanged,
  ExcludedPathInTheWay,
  FileDirectoryClash,
  NameCollision,
  PathOccupied,
  UnsafePath,
} from "cosmic-allocation/sync";
import { describe, expect, it, vi } from "vitest";

const examples = [
  [
    new UnsafePath("../x", "dot-segment", "source"),
    "UnsafePath",
    "UNSAFE_PATH",
    'Unsafe path "../x" in source: a path must not hold a . or .. name',
    { path: "../x", reason: "dot-segment", side: "source" },
  ],
  [
    new FileDirectoryClash("a", "a/b", "dest"),
    "FileDirectoryClash",
    "FILE_DIRECTORY_CLASH",
    'File and folder clash in dest: "a" is a file and also holds "a/b"',
    { path: "a", inside: "a/b", side: "dest" },
  ],
  [
    new NameCollision("readme", "README", "source"),
    "NameCollision",
    "NAME_COLLISION",
    'Name collision in source: "README" and "readme" name the same file on the destination',
    { path: "README", other: "readme", side: "source" },
  ],
  [
    new ContentChanged("a.txt", "dest", "h1", "h2"),
    "ContentChanged",
    "CONTENT_CHANGED",
    'Content changed in dest "a.txt": expected hash h1, found h2',
    { path: "a.txt", side: "dest", expected: "h1", actual: "h2" },
  ],
  [
    new PathOccupied("docs", "symlink"),
    "PathOccupied",
    "PATH_OCCUPIED",
    'Path occupied in dest: "docs" is a symbolic link, and a sync never overwrites or follows links',
    { path: "docs", found: "symlink" },
  ],
  [
    new ExcludedPathInTheWay("build", "build/out.js"),
    "ExcludedPathInTheWay",
    "EXCLUDED_PATH_IN_THE_WAY",
    'Excluded path in the way: writing source "build" would delete or replace the excluded destination file "build/out.js"',
    { path: "build", excluded: "build/out.js" },
  ],
] as const;

describe("every error of the sync rules", () => {
  it.each(examples)(
    "%s has a name, a stable code, a message that starts with what failed, and its offending value",
    (error, name, code, message, fields) => {
      expect(error).toBeInstanceOf(CosmicError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error).toMatchObject(fields);
    },
  );

  it("is recognised by its own guard and by no other", () => {
    const guards = [...examples.map(([error]) => error.constructor), OutOfStock] as unknown as {
      is(value: unknown): boolean;
    }[];
    examples.forEach(([error], index) => {
      guards.forEach((guard, other) => {
        expect(guard.is(error)).toBe(index === other);
      });
    });
  });

  it("is recognised when it comes from a second copy of the package", async () => {
    vi.resetModules();
    const copy = (await import("../sync/index")) as typeof syncEntry;
    const foreign = new copy.UnsafePath("/a", "absolute", "dest");
    expect(foreign instanceof UnsafePath).toBe(false);
    expect(UnsafePath.is(foreign)).toBe(true);
  });

  it("describes every unsafe-path rule and every kind of occupant", () => {
    for (const reason of [
      "empty",
      "absolute",
      "trailing-slash",
      "empty-segment",
      "backslash",
      "nul",
    ] as const) {
      expect(new UnsafePath("p", reason, "dest").message).toMatch(
        /^Unsafe path "p" in dest: a path must/,
      );
    }
    for (const found of ["file", "directory", "special"] as const) {
      expect(new PathOccupied("p", found).message).toMatch(/^Path occupied in dest: "p" is a/);
    }
  });
});
