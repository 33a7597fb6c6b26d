import { determineActions } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";

// Where nothing forces another order, writes follow the source paths in
// code-unit order, the order of `<` on strings, whatever characters the
// names hold: a name comes before itself followed by anything, even by the
// lowest code unit a path may hold.
describe("writes follow code-unit order, whatever the names", () => {
  it("a name comes before itself followed by U+0001, among many names that differ only so", () => {
    const names = Array.from({ length: 16 }, (_, k) => `x${"\u0001".repeat((k * 7) % 16)}`);
    names.push("w", "y", "x\u0002");
    const written = determineActions(
      Object.fromEntries(names.map((name, i) => [name, `h${i}`])),
      {},
    ).map((action) => (action.type === "delete" ? action.path : action.to));
    expect(written).toEqual([
      "w",
      ...Array.from({ length: 16 }, (_, k) => `x${"\u0001".repeat(k)}`),
      "x\u0002",
      "y",
    ]);
  });
});
