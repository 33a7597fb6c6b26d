import { ValidationError } from "cosmic-allocation";
import { determineActions } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

// Trees come from plain JavaScript callers and from files on disk: a tree
// that is not relative path to content hash is refused with a ValidationError
// naming the tree or the entry, and what it must be.

function refusal(source: unknown, dest: unknown) {
  const error = catchError(() => determineActions(source as never, dest as never));
  if (!ValidationError.is(error)) throw new Error(`expected a ValidationError, got ${error}`);
  return { field: error.field, value: error.value, expected: error.expected };
}

describe("a bad tree is refused, naming the tree or the entry and what it must be", () => {
  it("a tree that is neither a Map nor a plain object", () => {
    for (const side of ["source", "dest"] as const) {
      const bad = ["a"];
      const trees = side === "source" ? [bad, {}] : [{}, bad];
      expect(refusal(trees[0], trees[1])).toEqual({
        field: side,
        value: bad,
        expected: "a Map or a plain object from relative path to content hash",
      });
    }
  });

  it("a tree that is null, undefined or not an object is refused outright: nothing was read, so there is no cause", () => {
    for (const bad of [null, undefined, "a=h", 42]) {
      const error = catchError(() => determineActions(bad as never, {}));
      expect(error).toMatchObject({ field: "source", value: bad });
      expect((error as Error).cause).toBeUndefined();
    }
  });

  it("a tree whose entries cannot be read: its reading error is the cause", () => {
    const failure = new Error("cannot list");
    const tree = new Proxy(
      {},
      {
        ownKeys() {
          throw failure;
        },
      },
    );
    const error = catchError(() => determineActions(tree, {}));
    expect(error).toMatchObject({ field: "source", cause: failure });
  });

  it("a path that is not a string, and a hash that is not a non-empty string", () => {
    expect(refusal(new Map([[7, "h1"]]), {})).toEqual({
      field: "source path",
      value: 7,
      expected: "a string",
    });
    expect(refusal({}, { "a/b": "" })).toEqual({
      field: 'dest["a/b"]',
      value: "",
      expected: "a non-empty content hash",
    });
    expect(refusal({}, new Map([["x", 5]]))).toEqual({
      field: 'dest["x"]',
      value: 5,
      expected: "a non-empty content hash",
    });
  });
});
