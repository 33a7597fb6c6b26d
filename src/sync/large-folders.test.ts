import { determineActions } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

// Folders far larger than any call stack: the planner walks them without
// recursion. In a file of their own so that mutation runs, which repeat the
// planner's tests for each of a thousand mutants, can leave them out
// (vitest.mutation.config.ts).
describe("large folders", () => {
  const many = (folder: string, count: number) =>
    new Map(Array.from({ length: count }, (_, i) => [`${folder}/f${i}`, `h${i}`]));

  it("a folder of 130,000 files replaced by a file is emptied, then the file written", () => {
    const actions = determineActions({ big: "new" }, many("big", 130_000));
    expect(actions).toHaveLength(130_001);
    expect(actions.slice(0, -1).every((action) => action.type === "delete")).toBe(true);
    expect(actions.at(-1)).toEqual({
      type: "copy",
      from: "big",
      to: "big",
      hash: "new",
      replaces: null,
    });
  });

  it("a folder of 130,000 files whose case changes is emptied before the new spelling is written", () => {
    const dest = many("Docs", 130_000);
    dest.set("Docs/keep", "k");
    const actions = determineActions({ "docs/keep": "k" }, dest, { caseInsensitive: true });
    expect(actions.filter((action) => action.type === "delete")).toHaveLength(130_000);
    expect(actions.at(-1)).toMatchObject({ type: "move", to: "docs/keep" });
  });

  it("a deleted folder of 130,000 files is deleted file by file", () => {
    const actions = determineActions(
      { kept: "k" },
      new Map([...many("gone", 130_000), ["kept", "k"]]),
    );
    expect(actions).toHaveLength(130_000);
    expect(actions.at(-1)).toEqual({ type: "delete", path: "gone/f99999", hash: "h99999" });
  });
});
