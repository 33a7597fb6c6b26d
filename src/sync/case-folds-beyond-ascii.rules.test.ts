import { determineActions, NameCollision } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

// When the destination folds case, names fold as a case-insensitive file
// system compares them, beyond ASCII too: a name of no ASCII letter at all,
// such as the long s, folds like its ASCII counterpart.
describe("case folds beyond ASCII", () => {
  it("the long s and s are one name when case folds, and two names otherwise", () => {
    expect(() =>
      determineActions({ "\u017f": "h1", s: "h2" }, {}, { caseInsensitive: true }),
    ).toThrow(NameCollision);
    expect(determineActions({ "\u017f": "h1", s: "h2" }, {})).toHaveLength(2);
  });
});
