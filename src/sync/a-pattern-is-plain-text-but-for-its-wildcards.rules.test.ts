import { ValidationError } from "cosmic-allocation";
import { createPathFilter } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

// Include and exclude patterns come from command lines and config files: each
// character but the wildcards stands for itself, whatever it means to a
// regular expression, and a bad list or pattern is refused by name.

const excludes = (pattern: string, path: string): boolean =>
  createPathFilter({ exclude: [pattern] }).excludesEntry(path, false);

describe("a pattern is plain text but for its wildcards", () => {
  it.each([".", "+", "^", "$", "{", "}", "(", ")", "|", "[", "]", "\\"])(
    "%s in a pattern matches only itself",
    (special) => {
      expect(excludes(`a${special}b`, `a${special}b`)).toBe(true);
      expect(excludes(`x${special}`, `x${special}`)).toBe(true);
      for (const other of ["ab", "axb", "aab", "a", "b", `a${special}${special}b`]) {
        expect(excludes(`a${special}b`, other)).toBe(false);
      }
    },
  );

  it("a quantifier in braces is plain text too", () => {
    expect(excludes("a{2}", "aa")).toBe(false);
    expect(excludes("a{2}", "a{2}")).toBe(true);
    expect(excludes("[ab]", "a")).toBe(false);
    expect(excludes("(a|b)", "a")).toBe(false);
  });

  it("** crosses any character, a newline in a name included; * and ? any but /", () => {
    expect(excludes("a**b", "a\nb")).toBe(true);
    expect(excludes("a**b", "a/x\ny/b")).toBe(true);
    expect(excludes("a*b", "a\nb")).toBe(true);
    expect(excludes("a?b", "a\nb")).toBe(true);
  });
});

describe("a file is left out by its own name, or by a folder above it", () => {
  it("? matches exactly one character", () => {
    expect(excludes("a?c", "abc")).toBe(true);
    expect(excludes("a?c", "ac")).toBe(false);
    expect(excludes("a?c", "abbc")).toBe(false);
  });

  it("a folder-only pattern leaves out a file inside such a folder, never a file of that name, nor one whose name merely begins alike", () => {
    const filter = createPathFilter({ exclude: ["build/", "a/"] });
    expect(filter.excludesFile("src/build")).toBe(false);
    expect(filter.excludesFile("ab")).toBe(false);
    expect(filter.excludesFile("x/ab")).toBe(false);
    expect(filter.excludesFile("src/build/out.js")).toBe(true);
    expect(filter.excludesFile("a/b")).toBe(true);
  });

  it("a folder an include keeps is entered, and a file inside it is judged by its own path", () => {
    const filter = createPathFilter({ include: ["a/"], exclude: ["/*/"] });
    expect(filter.excludesFile("a/b/c")).toBe(false);
    expect(filter.excludesFile("a/b/d")).toBe(false);
    expect(filter.excludesFile("x/y")).toBe(true);
    expect(filter.excludesFile("top")).toBe(false);
  });
});

describe("a bad list or pattern is refused, naming it and what it must be", () => {
  it.each([
    [{ exclude: "*.log" }, "exclude", "an array of patterns"],
    [{ include: { 0: "a" } }, "include", "an array of patterns"],
    [{ exclude: ["ok", 42] }, "exclude[1]", "a pattern: a string without NUL"],
    [{ include: ["a\0b"] }, "include[0]", "a pattern: a string without NUL"],
    [{ exclude: [""] }, "exclude[0]", "a pattern that names something"],
    [{ exclude: ["/"] }, "exclude[0]", "a pattern that names something"],
    [{ include: ["a", "//a"] }, "include[1]", "a pattern that names something"],
    [{ exclude: ["a//"] }, "exclude[0]", "a pattern that names something"],
  ])("%j", (rules, field, expected) => {
    const error = catchError(() => createPathFilter(rules as never));
    if (!ValidationError.is(error)) throw new Error(`expected a ValidationError, got ${error}`);
    expect({ field: error.field, expected: error.expected }).toEqual({ field, expected });
  });

  it("rules that are not an object", () => {
    for (const rules of [null, "exclude", 7]) {
      const error = catchError(() => createPathFilter(rules as never));
      expect(error).toMatchObject({ field: "filter rules", value: rules, expected: "an object" });
    }
  });
});
