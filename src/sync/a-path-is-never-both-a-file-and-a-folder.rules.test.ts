import { determineActions, FileDirectoryClash } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

// No file system holds a path as a file and as a folder at once: a tree that
// does is refused, at any depth, whichever way it lists its paths.
describe("a path is never both a file and a folder", () => {
  it("a file listed just before the files inside it, in a folder, is refused", () => {
    for (const side of ["source", "dest"] as const) {
      const tree = new Map([
        ["x/a", "h1"],
        ["x/a/b", "h2"],
      ]);
      const [source, dest] = side === "source" ? [tree, {}] : [{}, tree];
      expect(() => determineActions(source, dest)).toThrow(
        expect.objectContaining({
          code: FileDirectoryClash.code,
          path: "x/a",
          inside: "x/a/b",
          side,
        }),
      );
    }
  });

  it("a clash is found whichever order the paths are listed in", () => {
    expect(() =>
      determineActions(
        new Map([
          ["ab", "h1"],
          ["a/x", "h2"],
          ["a", "h3"],
        ]),
        {},
      ),
    ).toThrow(expect.objectContaining({ code: FileDirectoryClash.code, path: "a", inside: "a/x" }));
  });

  it("a name that only begins like another file's name is no clash", () => {
    expect(determineActions({ a: "h1", "ab/c": "h2" }, {})).toHaveLength(2);
  });
});
