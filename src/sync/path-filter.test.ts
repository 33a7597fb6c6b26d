import { ValidationError } from "cosmic-allocation";
import { createPathFilter, determineActions, ExcludedPathInTheWay } from "cosmic-allocation/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

const excludes = (patterns: string[], path: string, isFolder = false): boolean =>
  createPathFilter({ exclude: patterns }).excludesEntry(path, isFolder);

describe("patterns, the rsync subset", () => {
  it("a pattern without a slash matches a name at any depth", () => {
    expect(excludes(["*.log"], "a.log")).toBe(true);
    expect(excludes(["*.log"], "deep/down/b.log")).toBe(true);
    expect(excludes(["*.log"], "a.log.txt")).toBe(false);
  });

  it("* and ? never cross a slash; ** does", () => {
    expect(excludes(["a*"], "ab/c")).toBe(false);
    expect(excludes(["a?c"], "a/c")).toBe(false);
    expect(excludes(["a?c"], "abc")).toBe(true);
    expect(excludes(["/a/*"], "a/b/c")).toBe(false);
    expect(excludes(["/a/**"], "a/b/c")).toBe(true);
    expect(excludes(["**/c"], "a/b/c")).toBe(true);
  });

  it("a leading slash anchors at the root; without it a path matches at a name boundary", () => {
    expect(excludes(["/build"], "build")).toBe(true);
    expect(excludes(["/build"], "src/build")).toBe(false);
    expect(excludes(["cache/tmp"], "x/cache/tmp")).toBe(true);
    expect(excludes(["cache/tmp"], "xcache/tmp")).toBe(false);
  });

  it("a trailing slash matches folders only", () => {
    expect(excludes(["build/"], "build", true)).toBe(true);
    expect(excludes(["build/"], "build", false)).toBe(false);
  });

  it("regular expression characters are plain characters", () => {
    expect(excludes(["a.b"], "axb")).toBe(false);
    expect(excludes(["(x)+[y]"], "(x)+[y]")).toBe(true);
    expect(excludes(["^$|\\"], "^$|\\")).toBe(true);
  });

  it("includes are checked before excludes, and a path no pattern matches stays", () => {
    const filter = createPathFilter({ exclude: ["*.tmp"], include: ["keep.tmp"] });
    expect(filter.excludesFile("keep.tmp")).toBe(false);
    expect(filter.excludesFile("drop.tmp")).toBe(true);
    expect(filter.excludesFile("other")).toBe(false);
  });

  it("a file inside an excluded folder is excluded whatever its own name, even one an include matches", () => {
    const filter = createPathFilter({ exclude: ["node_modules/"], include: ["*.js"] });
    expect(filter.excludesFile("node_modules/x/index.js")).toBe(true);
    expect(filter.excludesFile("a/node_modules/b")).toBe(true);
    expect(filter.excludesFile("node_modules")).toBe(false);
  });

  it("no pattern excludes nothing", () => {
    const filter = createPathFilter({});
    expect(filter.empty).toBe(true);
    expect(filter.excludesFile("anything/at/all")).toBe(false);
  });

  it("a very deep path is answered without recursion", () => {
    const deep = Array.from({ length: 50_000 }, () => "d").join("/");
    expect(createPathFilter({ exclude: ["x/"] }).excludesFile(`${deep}/f`)).toBe(false);
  });

  it.each([
    [{ exclude: "*.log" }],
    [{ exclude: [""] }],
    [{ exclude: ["/"] }],
    [{ exclude: ["//"] }],
    [{ include: ["a//"] }],
    [{ exclude: [42] }],
    [{ exclude: ["a\0b"] }],
  ])("a bad list or pattern is rejected: %j", (rules) => {
    expect(() => createPathFilter(rules as never)).toThrow(ValidationError);
    expect(() => determineActions({}, {}, rules as never)).toThrow(ValidationError);
  });

  it("rules that are not an object are rejected", () => {
    expect(() => createPathFilter(null as never)).toThrow(ValidationError);
  });
});

describe("determineActions with exclude and include", () => {
  it("an excluded source file is not written and an excluded destination file is not deleted", () => {
    expect(
      determineActions(
        { "a.txt": "h1", "new.log": "h2" },
        { "old.log": "h3", "b.txt": "h4" },
        { exclude: ["*.log"] },
      ),
    ).toEqual([
      { type: "copy", from: "a.txt", to: "a.txt", hash: "h1", replaces: null },
      { type: "delete", path: "b.txt", hash: "h4" },
    ]);
  });

  it("an excluded destination file is never replaced, nor moved away, nor read", () => {
    expect(
      determineActions({ "a.log": "h2", b: "h1" }, { "a.log": "h1" }, { exclude: ["a.log"] }),
    ).toEqual([{ type: "copy", from: "b", to: "b", hash: "h1", replaces: null }]);
  });

  it("a source file whose path an excluded destination folder holds is refused, naming both", () => {
    const error = catchError(() =>
      determineActions({ build: "h1" }, { "build/out.js": "h2" }, { exclude: ["build/"] }),
    );
    expect(ExcludedPathInTheWay.is(error)).toBe(true);
    expect(error).toMatchObject({ path: "build", excluded: "build/out.js" });
  });

  it("a source folder where an excluded destination file stands is refused", () => {
    expect(() =>
      determineActions(
        { "Out/x": "h1" },
        { out: "h2" },
        { exclude: ["out"], caseInsensitive: true },
      ),
    ).toThrow(ExcludedPathInTheWay);
  });

  it("a source file below an excluded destination file is refused", () => {
    expect(() =>
      determineActions(
        { "OUT/x": "h1" },
        { out: "h2" },
        { exclude: ["out"], caseInsensitive: true },
      ),
    ).toThrow(ExcludedPathInTheWay);
  });

  it("the temporary folder avoids excluded names too", () => {
    const plan = determineActions(
      { a: "h2", b: "h1" },
      { a: "h1", b: "h2", ".cosmic-sync-tmp/keep": "h3" },
      { exclude: ["/.cosmic-sync-tmp/"] },
    );
    expect(plan.map((action) => action.type !== "delete" && action.to)).toContain(
      ".cosmic-sync-tmp-2/1",
    );
  });

  it("a path filter never changes an unfiltered answer: with no patterns, the plan is the same", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("a", "b", "c/d"), fc.constantFrom("h1", "h2")),
        fc.dictionary(fc.constantFrom("a", "b", "c/e"), fc.constantFrom("h1", "h2")),
        (source, dest) => {
          expect(determineActions(source, dest, { exclude: [], include: [] })).toEqual(
            determineActions(source, dest),
          );
        },
      ),
    );
  });
});
