import { ValidationError } from "cosmic-allocation";
import { countDeletes, determineActions, withBackups } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

// A limit such as `--max-delete` counts the files a plan removes for good:
// its deletes, and its backups that move a file away. A write that replaces a
// stale file, and the backup by copy before it, remove nothing.

describe("countDeletes counts what a plan removes for good", () => {
  // Two files gone (old.txt, gone/x), one replaced in place (notes.txt), one moved (a.txt).
  const planned = () =>
    determineActions(
      { "notes.txt": "v2", "b.txt": "a" },
      { "notes.txt": "v1", "a.txt": "a", "old.txt": "o", "gone/x": "x" },
    );

  it("a plan with nothing to remove counts none", () => {
    expect(countDeletes([])).toBe(0);
    expect(countDeletes(determineActions({ a: "h1", b: "h2" }, { c: "h1" }))).toBe(0);
  });

  it("each delete counts once; the move, and the copy that replaces a stale file, do not", () => {
    const plan = planned();
    expect(plan.map((action) => action.type).sort()).toEqual(["copy", "delete", "delete", "move"]);
    expect(countDeletes(plan)).toBe(2);
  });

  it("with backups, each backup that moves a file away counts once; a backup by copy does not", () => {
    const backedUp = withBackups(planned());
    expect(backedUp.filter((action) => action.type === "backup")).toHaveLength(3);
    expect(countDeletes(backedUp)).toBe(2);
  });

  it("a plan that is not an array of objects is refused, naming the argument and what it must be", () => {
    const first = { type: "delete", path: "a", hash: "h1" };
    // A null, a string or a number in a plan parsed from JSON was a TypeError.
    for (const notAPlan of [
      undefined,
      "delete",
      { length: 1, 0: first },
      [first, null],
      ["delete"],
      [first, 7],
    ]) {
      expect(() => countDeletes(notAPlan as never)).toThrow(
        expect.objectContaining({
          code: ValidationError.code,
          field: "plan",
          value: notAPlan,
          expected: "an array of sync actions",
        }),
      );
      expect(() => withBackups(notAPlan as never)).toThrow(
        expect.objectContaining({
          code: ValidationError.code,
          field: "plan",
          value: notAPlan,
          expected: "an array of sync actions",
        }),
      );
    }
  });
});
