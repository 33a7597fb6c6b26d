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
});
