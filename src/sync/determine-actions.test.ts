import { ValidationError } from "cosmic-allocation";
import {
  assertSafePath,
  determineActions,
  FileDirectoryClash,
  NameCollision,
  UnsafePath,
  type UnsafePathReason,
} from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";
import { checkedPlan } from "../../test/sync/checked-plan";

const plan = checkedPlan;

describe("the book's sync tests", () => {
  it("when a file exists in the source but not the destination, it is copied", () => {
    expect(plan({ fn1: "hash1" }, {})).toEqual([
      { type: "copy", from: "fn1", to: "fn1", hash: "hash1", replaces: null },
    ]);
  });

  it("when a file has been renamed in the source, it is moved in the destination", () => {
    expect(plan({ fn1: "hash1" }, { fn2: "hash1" })).toEqual([
      { type: "move", from: "fn2", to: "fn1", hash: "hash1", replaces: null },
    ]);
  });
});

describe("known hazards", () => {
  it("a swap keeps both paths present: one content waits at a temporary name while each path is replaced in place", () => {
    expect(plan({ a: "h2", b: "h1" }, { a: "h1", b: "h2" })).toEqual([
      { type: "duplicate", from: "b", to: ".cosmic-sync-tmp/1", hash: "h2", replaces: null },
      { type: "duplicate", from: "a", to: "b", hash: "h1", replaces: "h2" },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "a", hash: "h2", replaces: "h1" },
    ]);
  });

  it("a 3-cycle goes through one temporary name, each path replaced in place", () => {
    expect(plan({ a: "h3", b: "h1", c: "h2" }, { a: "h1", b: "h2", c: "h3" })).toEqual([
      { type: "duplicate", from: "c", to: ".cosmic-sync-tmp/1", hash: "h3", replaces: null },
      { type: "duplicate", from: "b", to: "c", hash: "h2", replaces: "h3" },
      { type: "duplicate", from: "a", to: "b", hash: "h1", replaces: "h2" },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "a", hash: "h3", replaces: "h1" },
    ]);
  });

  it("two separate swaps take one temporary name each", () => {
    const actions = plan(
      { a: "h2", b: "h1", c: "h4", d: "h3" },
      { a: "h1", b: "h2", c: "h3", d: "h4" },
    );
    expect(actions.filter((a) => a.type !== "delete" && a.to.startsWith(".cosmic"))).toHaveLength(
      2,
    );
    expect(actions).toHaveLength(6);
  });

  it("a rename chain runs from its free end, with no temporary name; paths both trees have are replaced in place", () => {
    expect(plan({ b: "h1", c: "h2", d: "h3" }, { a: "h1", b: "h2", c: "h3" })).toEqual([
      { type: "duplicate", from: "c", to: "d", hash: "h3", replaces: null },
      { type: "duplicate", from: "b", to: "c", hash: "h2", replaces: "h3" },
      { type: "move", from: "a", to: "b", hash: "h1", replaces: "h2" },
    ]);
  });

  it("a rename onto a stale file is one move that replaces it", () => {
    expect(plan({ b: "h1", z: "h9" }, { a: "h1", b: "stale", y: "old" })).toEqual([
      { type: "move", from: "a", to: "b", hash: "h1", replaces: "stale" },
      { type: "copy", from: "z", to: "z", hash: "h9", replaces: null },
      { type: "delete", path: "y", hash: "old" },
    ]);
  });

  it("a file edited in place is one copy that replaces the old content", () => {
    expect(plan({ "notes.txt": "v2" }, { "notes.txt": "v1" })).toEqual([
      { type: "copy", from: "notes.txt", to: "notes.txt", hash: "v2", replaces: "v1" },
    ]);
  });

  it("a file edited in place whose old content goes elsewhere keeps that content by duplicating it first, never leaving the path missing", () => {
    expect(plan({ "notes.txt": "v2", "notes.bak": "v1" }, { "notes.txt": "v1" })).toEqual([
      { type: "duplicate", from: "notes.txt", to: "notes.bak", hash: "v1", replaces: null },
      { type: "copy", from: "notes.txt", to: "notes.txt", hash: "v2", replaces: "v1" },
    ]);
  });

  it("a file edited in place whose old content goes elsewhere moves there a loose file of that content rather than duplicating", () => {
    expect(plan({ a: "h2", c: "h1" }, { a: "h1", b: "h1" })).toEqual([
      { type: "copy", from: "a", to: "a", hash: "h2", replaces: "h1" },
      { type: "move", from: "b", to: "c", hash: "h1", replaces: null },
    ]);
  });

  it("duplicates in the source are copied once and duplicated in the destination", () => {
    expect(plan({ "a/logo.png": "h1", "b/logo.png": "h1", "c.png": "h1" }, {})).toEqual([
      { type: "copy", from: "a/logo.png", to: "a/logo.png", hash: "h1", replaces: null },
      { type: "duplicate", from: "a/logo.png", to: "b/logo.png", hash: "h1", replaces: null },
      { type: "duplicate", from: "a/logo.png", to: "c.png", hash: "h1", replaces: null },
    ]);
  });

  it("duplicates in the destination are moved where needed and the rest deleted, not collapsed onto one", () => {
    expect(plan({ x: "h1", y: "h1" }, { a: "h1", b: "h1", c: "h1" })).toEqual([
      { type: "move", from: "a", to: "x", hash: "h1", replaces: null },
      { type: "move", from: "b", to: "y", hash: "h1", replaces: null },
      { type: "delete", path: "c", hash: "h1" },
    ]);
  });

  it("a duplicate reads the first file in path order already holding the content", () => {
    expect(plan({ a: "h1", b: "h1", c: "h1" }, { b: "h1", a: "h1" })).toEqual([
      { type: "duplicate", from: "a", to: "c", hash: "h1", replaces: null },
    ]);
  });

  it("each content is duplicated from its own first copy in path order, however copies interleave", () => {
    expect(
      plan({ a: "h1", b: "h1", c: "h2", x: "h1", y: "h2" }, { a: "h1", b: "h1", c: "h2" }),
    ).toEqual([
      { type: "duplicate", from: "a", to: "x", hash: "h1", replaces: null },
      { type: "duplicate", from: "c", to: "y", hash: "h2", replaces: null },
    ]);
  });

  it("nested folders keep their structure: equal names in different folders are different files", () => {
    expect(
      plan({ "x/readme": "h1", "y/readme": "h2", "y/z/readme": "h1" }, { readme: "h2" }),
    ).toEqual([
      { type: "copy", from: "x/readme", to: "x/readme", hash: "h1", replaces: null },
      { type: "move", from: "readme", to: "y/readme", hash: "h2", replaces: null },
      { type: "duplicate", from: "x/readme", to: "y/z/readme", hash: "h1", replaces: null },
    ]);
  });

  it("a renamed folder moves its files one by one", () => {
    expect(
      plan({ "new/a": "h1", "new/sub/b": "h2" }, { "old/a": "h1", "old/sub/b": "h2" }),
    ).toEqual([
      { type: "move", from: "old/a", to: "new/a", hash: "h1", replaces: null },
      { type: "move", from: "old/sub/b", to: "new/sub/b", hash: "h2", replaces: null },
    ]);
  });

  it("a file replaced by a folder is deleted just before the first write inside the folder", () => {
    expect(plan({ "a/b": "h2" }, { a: "h1" })).toEqual([
      { type: "delete", path: "a", hash: "h1" },
      { type: "copy", from: "a/b", to: "a/b", hash: "h2", replaces: null },
    ]);
  });

  it("a folder replaced by a file is emptied just before the file is written", () => {
    expect(plan({ a: "h1" }, { "a/b": "h2", "a/c": "h3" })).toEqual([
      { type: "delete", path: "a/b", hash: "h2" },
      { type: "delete", path: "a/c", hash: "h3" },
      { type: "copy", from: "a", to: "a", hash: "h1", replaces: null },
    ]);
  });

  it("a file and a folder trading places go through one temporary name", () => {
    expect(plan({ "a/c": "h2", b: "h1" }, { a: "h1", "b/c": "h2" })).toEqual([
      { type: "move", from: "b/c", to: ".cosmic-sync-tmp/1", hash: "h2", replaces: null },
      { type: "move", from: "a", to: "b", hash: "h1", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "a/c", hash: "h2", replaces: null },
    ]);
  });

  it("a file moved into a folder of its own old name goes through a temporary name", () => {
    expect(plan({ "a/a": "h1" }, { a: "h1" })).toEqual([
      { type: "move", from: "a", to: ".cosmic-sync-tmp/1", hash: "h1", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "a/a", hash: "h1", replaces: null },
    ]);
  });

  it("a file moved back out of a folder of its own name goes through a temporary name", () => {
    expect(plan({ a: "h1" }, { "a/a": "h1" })).toEqual([
      { type: "move", from: "a/a", to: ".cosmic-sync-tmp/1", hash: "h1", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "a", hash: "h1", replaces: null },
    ]);
  });

  it("the temporary folder takes a name no path or folder of either tree uses", () => {
    const actions = plan(
      { a: "h2", b: "h1", ".cosmic-sync-tmp/1": "h7", ".cosmic-sync-tmp-3": "h8" },
      { a: "h1", b: "h2", ".cosmic-sync-tmp-2/1": "h9" },
    );
    expect(actions.filter((action) => action.type !== "copy" && action.type !== "delete")).toEqual([
      { type: "duplicate", from: "b", to: ".cosmic-sync-tmp-4/1", hash: "h2", replaces: null },
      { type: "duplicate", from: "a", to: "b", hash: "h1", replaces: "h2" },
      { type: "move", from: ".cosmic-sync-tmp-4/1", to: "a", hash: "h2", replaces: "h1" },
    ]);
  });

  it("empty trees need no actions", () => {
    expect(plan({}, {})).toEqual([]);
  });

  it("an empty source deletes everything, in path order", () => {
    expect(plan({}, { b: "h2", "a/x": "h1" })).toEqual([
      { type: "delete", path: "a/x", hash: "h1" },
      { type: "delete", path: "b", hash: "h2" },
    ]);
  });

  it("identical trees need no actions", () => {
    const tree = { a: "h1", "b/c": "h2", "b/d": "h2" };
    expect(plan(tree, { ...tree })).toEqual([]);
  });

  it("contents whose hashes are built to collide inside the planner are still told apart", () => {
    // Equal where the planner samples a hash, different elsewhere.
    const hash = (i: number) => `a${i.toString(16).padStart(6, "0")}${"b".repeat(57)}`;
    const dest = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, hash(i)]));
    const source = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`f${i}`, hash((i + 1) % 60)]),
    );
    const actions = plan({ ...source, extra: hash(7) }, dest);
    expect(actions.filter((action) => action.type === "copy")).toEqual([]);
    // `extra` reads f7 first, and so holds the content the rotation's last write needs: no temporary name.
    expect(actions.filter((action) => action.type === "duplicate")).toHaveLength(61);
    expect(actions).toHaveLength(61);
  });

  it("writes come in source path order where nothing forces another", () => {
    expect(plan({ c: "h3", a: "h1", b: "h2" }, {}).map((a) => a.type !== "delete" && a.to)).toEqual(
      ["a", "b", "c"],
    );
  });
});

describe("names that are not valid UTF-8 stay distinct", () => {
  // A shell that decodes raw bytes losslessly hands over lone surrogates; a lossy one, U+FFFD.
  const lone = ["caf\udce9", "caf\udce8", "caf\ufffd", "\ud800/x", "\udfff/x"];

  it.each([
    ["exact names", {}],
    ["caseInsensitive", { caseInsensitive: true }],
    ['unicode "nfc"', { unicode: "nfc" }],
  ] as const)(
    "each is its own file, kept, copied and deleted by its exact name (%s)",
    (_, options) => {
      const source = Object.fromEntries(lone.map((name, i) => [name, `h${i}`]));
      expect(determineActions(source, source, options)).toEqual([]);
      const copies = determineActions(source, {}, options);
      expect(copies.map((action) => action.type !== "delete" && action.to).sort()).toEqual(
        [...lone].sort(),
      );
      const deletes = determineActions({}, source, options);
      expect(deletes.map((action) => action.type === "delete" && action.path).sort()).toEqual(
        [...lone].sort(),
      );
    },
  );

  it("two names that differ in one undecodable byte are two files, one moved and one kept", () => {
    expect(
      plan({ "caf\udce9": "h1", "b\udce8": "h2" }, { "caf\udce9": "h1", "a\udce8": "h2" }),
    ).toEqual([{ type: "move", from: "a\udce8", to: "b\udce8", hash: "h2", replaces: null }]);
  });
});

describe("caseInsensitive: the destination folds case", () => {
  const options = { caseInsensitive: true };

  it("a case-only rename goes through a temporary name", () => {
    expect(plan({ "readme.md": "h1" }, { "README.md": "h1" }, options)).toEqual([
      { type: "move", from: "README.md", to: ".cosmic-sync-tmp/1", hash: "h1", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "readme.md", hash: "h1", replaces: null },
    ]);
  });

  it("a case-only rename with an edit deletes the old spelling and copies the new", () => {
    expect(plan({ "readme.md": "h2" }, { "README.md": "h1" }, options)).toEqual([
      { type: "delete", path: "README.md", hash: "h1" },
      { type: "copy", from: "readme.md", to: "readme.md", hash: "h2", replaces: null },
    ]);
  });

  it("without the option a case-only rename is a plain move", () => {
    expect(plan({ "readme.md": "h1" }, { "README.md": "h1" })).toEqual([
      { type: "move", from: "README.md", to: "readme.md", hash: "h1", replaces: null },
    ]);
  });

  it("a folder whose case changes is emptied before the new spelling is written", () => {
    expect(
      plan(
        { "docs/a": "h1", "docs/b": "h2" },
        { "Docs/a": "h1", "Docs/b": "h2", "Docs/c": "h3" },
        options,
      ),
    ).toEqual([
      { type: "move", from: "Docs/a", to: ".cosmic-sync-tmp/1", hash: "h1", replaces: null },
      { type: "move", from: "Docs/b", to: ".cosmic-sync-tmp/2", hash: "h2", replaces: null },
      { type: "delete", path: "Docs/c", hash: "h3" },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "docs/a", hash: "h1", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/2", to: "docs/b", hash: "h2", replaces: null },
    ]);
  });

  it("two source paths that differ only by case are rejected", () => {
    expect(() => determineActions({ "a.txt": "h1", "A.txt": "h2" }, {}, options)).toThrow(
      expect.objectContaining({
        code: "NAME_COLLISION",
        path: "A.txt",
        other: "a.txt",
        side: "source",
      }),
    );
  });

  it("a folder spelled two ways in one tree is rejected", () => {
    expect(() => determineActions({}, { "Docs/a": "h1", "docs/b": "h2" }, options)).toThrow(
      expect.objectContaining({
        code: "NAME_COLLISION",
        path: "Docs",
        other: "docs",
        side: "dest",
      }),
    );
  });

  it("a file and a folder that differ only by case clash", () => {
    const error = catchError(() => determineActions({ A: "h1", "a/b": "h2" }, {}, options));
    expect(FileDirectoryClash.is(error) && [error.path, error.inside]).toEqual(["A", "a/b"]);
  });

  it("case folding covers letters beyond ASCII", () => {
    expect(plan({ ΣΟΦΙΑ: "h1" }, { σοφια: "h1" }, options)).toHaveLength(2);
    expect(() => determineActions({ "straße/Ä": "h1", "STRASSE/ä": "h2" }, {}, options)).toThrow(
      NameCollision,
    );
  });
});

describe('unicode "nfc": NFC and NFD spellings are the same file', () => {
  const nfc = "caf\u00e9.txt";
  const nfd = "cafe\u0301.txt";

  it("a file whose name differs only by normalization stays in place", () => {
    expect(plan({ [nfc]: "h1" }, { [nfd]: "h1" }, { unicode: "nfc" })).toEqual([]);
  });

  it("without the option the two spellings are different files", () => {
    expect(plan({ [nfc]: "h1" }, { [nfd]: "h1" })).toEqual([
      { type: "move", from: nfd, to: nfc, hash: "h1", replaces: null },
    ]);
  });

  it("an edited file in the other normalization is replaced in place under the source's spelling", () => {
    expect(plan({ [nfc]: "h2" }, { [nfd]: "h1" }, { unicode: "nfc" })).toEqual([
      { type: "copy", from: nfc, to: nfc, hash: "h2", replaces: "h1" },
    ]);
  });

  it("two source spellings of one name are rejected", () => {
    expect(() => determineActions({ [nfc]: "h1", [nfd]: "h2" }, {}, { unicode: "nfc" })).toThrow(
      NameCollision,
    );
  });

  it("with caseInsensitive too, case and normalization fold together", () => {
    expect(
      plan(
        { "CAF\u00c9": "h1" },
        { "cafe\u0301": "h1" },
        { caseInsensitive: true, unicode: "nfc" },
      ),
    ).toHaveLength(2);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("unsafe paths are rejected with the path, the rule and the tree", () => {
  const cases: [string, UnsafePathReason][] = [
    ["", "empty"],
    ["/etc/passwd", "absolute"],
    ["docs/", "trailing-slash"],
    ["docs//a", "empty-segment"],
    ["./a", "dot-segment"],
    ["a/.", "dot-segment"],
    ["../a", "dot-segment"],
    ["a/../../b", "dot-segment"],
    ["a\\b", "backslash"],
    ["a\0b", "nul"],
  ];
  it.each(cases)("%j is unsafe: %s", (path, reason) => {
    for (const side of ["source", "dest"] as const) {
      const trees = side === "source" ? [{ [path]: "h1" }, {}] : [{}, { [path]: "h1" }];
      const error = catchError(() =>
        determineActions(trees[0] as Record<string, string>, trees[1] as Record<string, string>),
      );
      expect(UnsafePath.is(error)).toBe(true);
      expect(error).toMatchObject({ path, reason, side, code: "UNSAFE_PATH" });
    }
  });

  it("names that only look like dots are fine", () => {
    expect(plan({ ".env": "h1", "a/..b": "h2", "...": "h3" }, {})).toHaveLength(3);
  });

  it("of several unsafe paths, the first in path order is named, whatever the insertion order", () => {
    const forward = catchError(() =>
      determineActions(
        new Map([
          ["b/../x", "h"],
          ["/a", "h"],
        ]),
        {},
      ),
    );
    const backward = catchError(() =>
      determineActions(
        new Map([
          ["/a", "h"],
          ["b/../x", "h"],
        ]),
        {},
      ),
    );
    expect(forward).toMatchObject({ path: "/a" });
    expect(backward).toMatchObject({ path: "/a" });
  });
});

describe("trees that no file system can hold are rejected", () => {
  it("a path that is both a file and a folder in the source", () => {
    const error = catchError(() => determineActions({ "a/b/c": "h1", a: "h2" }, {}));
    expect(FileDirectoryClash.is(error)).toBe(true);
    expect(error).toMatchObject({ path: "a", inside: "a/b/c", side: "source" });
  });

  it("a path that is both a file and a folder in the destination, reported the same in any order", () => {
    const one = catchError(() =>
      determineActions(
        {},
        new Map([
          ["x/y", "h"],
          ["x", "h"],
          ["a", "h"],
          ["a/b", "h"],
        ]),
      ),
    );
    const two = catchError(() =>
      determineActions(
        {},
        new Map([
          ["a/b", "h"],
          ["a", "h"],
          ["x", "h"],
          ["x/y", "h"],
        ]),
      ),
    );
    expect(one).toMatchObject({
      code: "FILE_DIRECTORY_CLASH",
      path: "a",
      inside: "a/b",
      side: "dest",
    });
    expect(two).toEqual(one);
  });

  it("a clash is found under the unicode option as well", () => {
    expect(() =>
      determineActions({ "\u00e9": "h1", "e\u0301/x": "h2" }, {}, { unicode: "nfc" }),
    ).toThrow(FileDirectoryClash);
  });
});

describe("input from plain JavaScript is checked", () => {
  const notTrees: [string, unknown][] = [
    ["null", null],
    ["undefined", undefined],
    ["an array", [["a", "h"]]],
    ["a string", "a=h"],
    ["a number", 42],
    ["a Set", new Set(["a"])],
    ["a class instance", new (class Files {})()],
  ];
  it.each(notTrees)("a tree that is %s is rejected", (_, tree) => {
    const error = catchError(() => determineActions(tree as never, {}));
    expect(ValidationError.is(error) && error.field).toBe("source");
  });

  it("an object without a prototype is a tree", () => {
    const tree = Object.assign(Object.create(null) as Record<string, string>, { a: "h1" });
    expect(plan(tree, {})).toHaveLength(1);
  });

  it("a bad entry is found under the naming options as well", () => {
    expect(() => determineActions({ "/a": "h1" }, {}, { caseInsensitive: true })).toThrow(
      UnsafePath,
    );
    expect(() => determineActions({ a: "" }, {}, { unicode: "nfc" })).toThrow(ValidationError);
  });

  it("assertSafePath rejects a value that is not a string", () => {
    expect(() => assertSafePath(42, "dest")).toThrow(
      expect.objectContaining({ field: "dest path" }),
    );
  });

  it("a Map key that is not a string is rejected", () => {
    expect(() => determineActions(new Map([[1 as unknown as string, "h"]]), {})).toThrow(
      expect.objectContaining({ code: "VALIDATION_ERROR", field: "source path" }),
    );
  });

  it.each([
    ["an empty string", ""],
    ["a number", 7],
    ["null", null],
  ])("a hash that is %s is rejected", (_, hash) => {
    expect(() => determineActions({}, { "a.txt": hash as string })).toThrow(
      expect.objectContaining({ code: "VALIDATION_ERROR", field: 'dest["a.txt"]' }),
    );
  });

  it.each([
    ["options that are not an object", null, "options"],
    [
      "a caseInsensitive that is not a boolean",
      { caseInsensitive: "yes" },
      "options.caseInsensitive",
    ],
    ["an unknown unicode mode", { unicode: "nfd" }, "options.unicode"],
  ])("%s are rejected", (_, options, field) => {
    expect(() => determineActions({}, {}, options as never)).toThrow(
      expect.objectContaining({ field }),
    );
  });
});
