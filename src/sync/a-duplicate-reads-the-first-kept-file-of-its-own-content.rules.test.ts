import { determineActions } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

// A content the destination already holds, in a file that stays, is never
// transferred again: each new path of it is a duplicate of the first such
// file in path order, for every content of the plan, however alike their
// hashes look to the planner.

/** Hashes equal wherever the planner samples a hash, different elsewhere. */
const alike = (i: number) => `a${i.toString(16).padStart(6, "0")}${"b".repeat(57)}`;

describe("a duplicate reads the first kept file of its own content", () => {
  it("each of several contents is duplicated from its own first kept file in path order", () => {
    expect(
      determineActions({ a1: "A", a2: "A", b: "B", x: "A", y: "B" }, { a1: "A", a2: "A", b: "B" }),
    ).toEqual([
      { type: "duplicate", from: "a1", to: "x", hash: "A", replaces: null },
      { type: "duplicate", from: "b", to: "y", hash: "B", replaces: null },
    ]);
  });

  it("a kept file of another content that looks alike to the planner is not taken for it", () => {
    const [needed, other] = [alike(1), alike(2)];
    // `other` has as many loose files as new paths, so it needs no kept copy;
    // its kept file sorts before the one of `needed`.
    expect(
      determineActions(
        { "a-other": other, "b-needed": needed, "c-other": other, "d-needed": needed },
        { "a-other": other, "b-needed": needed, "e-loose": other },
      ),
    ).toEqual([
      { type: "move", from: "e-loose", to: "c-other", hash: other, replaces: null },
      { type: "duplicate", from: "b-needed", to: "d-needed", hash: needed, replaces: null },
    ]);
  });
});
