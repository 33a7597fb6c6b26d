import { ValidationError } from "cosmic-allocation";
import { assertSafePath, UnsafePath, type UnsafePathReason } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

describe("assertSafePath", () => {
  it("passes a relative POSIX path of non-empty names, none of them . or ..", () => {
    for (const path of ["a", "docs/readme.md", ".env", "a/..b/...", "x/y/z/w"]) {
      expect(assertSafePath(path, "source")).toBeUndefined();
      expect(assertSafePath(path, "dest")).toBeUndefined();
    }
  });

  it.each<[string, UnsafePathReason]>([
    ["", "empty"],
    ["a\0b", "nul"],
    ["a\\b", "backslash"],
    ["/a", "absolute"],
    ["a/", "trailing-slash"],
    ["a//b", "empty-segment"],
    ["a/./b", "dot-segment"],
    ["..", "dot-segment"],
  ])("refuses %j for its rule, %s, naming the path and the tree", (path, reason) => {
    expect(() => assertSafePath(path, "dest")).toThrow(
      expect.objectContaining({ code: UnsafePath.code, path, reason, side: "dest" }),
    );
  });

  it("names the first rule a path breaks, in the order: empty, NUL, backslash, absolute, trailing slash, empty name", () => {
    const reasonOf = (path: string) => {
      try {
        assertSafePath(path, "source");
      } catch (error) {
        if (UnsafePath.is(error)) return error.reason;
      }
      return undefined;
    };
    expect(reasonOf("/a\0/")).toBe("nul");
    expect(reasonOf("/a\\b/")).toBe("backslash");
    expect(reasonOf("/a/")).toBe("absolute");
    expect(reasonOf("a//b/")).toBe("trailing-slash");
    expect(reasonOf("a//../b")).toBe("empty-segment");
  });

  it("refuses a value that is not a string, naming the tree's paths and what a path must be", () => {
    for (const side of ["source", "dest"] as const) {
      expect(() => assertSafePath(42, side)).toThrow(
        expect.objectContaining({
          code: ValidationError.code,
          field: `${side} path`,
          value: 42,
          expected: "a string",
        }),
      );
    }
  });
});
