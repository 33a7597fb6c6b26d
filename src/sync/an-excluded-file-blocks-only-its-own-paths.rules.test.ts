import { determineActions, ExcludedPathInTheWay } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

// An excluded destination file stays where it is, so a source file may not
// need its path, a folder above it, or a path inside it. Any other path is
// free, however much its name looks like one of those.
describe("an excluded destination file blocks only its own paths", () => {
  it("a source path that only begins like the excluded file's folder is planned as usual", () => {
    expect(
      determineActions(
        { a: "h2", "ab.txt": "h3", "ab/y": "h4" },
        { "ab/x.log": "h1" },
        { exclude: ["*.log"] },
      ),
    ).toEqual([
      { type: "copy", from: "a", to: "a", hash: "h2", replaces: null },
      { type: "copy", from: "ab.txt", to: "ab.txt", hash: "h3", replaces: null },
      { type: "copy", from: "ab/y", to: "ab/y", hash: "h4", replaces: null },
    ]);
  });

  it("a source folder whose name only begins like an excluded file's name is planned as usual", () => {
    expect(determineActions({ "xy/z": "h2" }, { x: "h1" }, { exclude: ["/x"] })).toEqual([
      { type: "copy", from: "xy/z", to: "xy/z", hash: "h2", replaces: null },
    ]);
  });

  it("a source file at a folder above the excluded file is refused, at any depth", () => {
    for (const path of ["ab", "ab/cd"]) {
      expect(() =>
        determineActions({ [path]: "h2" }, { "ab/cd/x.log": "h1" }, { exclude: ["*.log"] }),
      ).toThrow(ExcludedPathInTheWay);
    }
  });

  it("the refusal names the source path and, of the excluded files in the way, the first in path order", () => {
    for (const dest of [
      new Map([
        ["build/a.js", "h1"],
        ["build/sub/b.js", "h2"],
        ["build/c.js", "h3"],
      ]),
      new Map([
        ["build/c.js", "h3"],
        ["build/sub/b.js", "h2"],
        ["build/a.js", "h1"],
      ]),
    ]) {
      expect(() => determineActions({ build: "h4" }, dest, { exclude: ["*.js"] })).toThrow(
        expect.objectContaining({ path: "build", excluded: "build/a.js" }),
      );
    }
  });
});
