import { ValidationError } from "cosmic-allocation";
import {
  countDeletes,
  determineActions,
  type SyncAction,
  withBackups,
} from "cosmic-allocation/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyPair, MODES } from "../../test/sync/arbitraries";
import { canonical, nameRules, replay } from "../../test/sync/virtual-destination";

const RUNS = { numRuns: 100 };

/** What a plain plan destroys: each deleted or replaced path with the content it held. */
function destroyed(plan: readonly SyncAction[]): Map<string, string> {
  const lost = new Map<string, string>();
  for (const action of plan) {
    if (action.type === "delete") lost.set(action.path, action.hash);
    else if (action.replaces !== null) lost.set(action.to, action.replaces);
  }
  return lost;
}

describe.each(MODES)("withBackups laws, $name", ({ options, names }) => {
  const rules = nameRules(options);
  const pairs = anyPair(names, options);

  it("the destination ends exactly as the plain plan leaves it, every step finding what it expects, nothing lost and no shared path missing", () => {
    fc.assert(
      fc.property(pairs, ({ source, dest }) => {
        const plan = determineActions(source, dest, options);
        const backedUp = replay(source, dest, withBackups(plan), rules);
        expect(canonical(backedUp.final, rules)).toEqual(
          canonical(replay(source, dest, plan, rules).final, rules),
        );
        expect(backedUp.lostAt).toBeUndefined();
        expect(backedUp.missingAt).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("the backup folder ends holding exactly what the plain plan deletes or replaces, each once, with its old content", () => {
    fc.assert(
      fc.property(pairs, ({ source, dest }) => {
        const plan = determineActions(source, dest, options);
        const { backups } = replay(source, dest, withBackups(plan), rules);
        expect(backups).toEqual(destroyed(plan));
      }),
      RUNS,
    );
  });

  it("the transfer and every other action are unchanged, in the same order, and nothing is deleted", () => {
    fc.assert(
      fc.property(pairs, ({ source, dest }) => {
        const plan = determineActions(source, dest, options);
        const backedUp = withBackups(plan);
        expect(backedUp.filter((action) => action.type !== "backup")).toEqual(
          plan.filter((action) => action.type !== "delete"),
        );
        expect(backedUp.some((action) => action.type === "delete")).toBe(false);
        expect(countDeletes(backedUp)).toBe(countDeletes(plan));
      }),
      RUNS,
    );
  });
});

describe("withBackups", () => {
  it("backs up a stale file by copy just before the write that replaces it, and a deleted one by move", () => {
    const plan = determineActions({ b: "h1", z: "h9" }, { a: "h1", b: "stale", y: "old" });
    expect(withBackups(plan)).toEqual([
      { type: "backup", path: "b", hash: "stale", mode: "copy" },
      { type: "move", from: "a", to: "b", hash: "h1", replaces: "stale" },
      { type: "copy", from: "z", to: "z", hash: "h9", replaces: null },
      { type: "backup", path: "y", hash: "old", mode: "move" },
    ]);
  });

  it("leaves a plan that destroys nothing as it is, and does not change the plan given", () => {
    const plan = determineActions({ a: "h1", b: "h2" }, { c: "h1" });
    const before = structuredClone(plan);
    expect(withBackups(plan)).toEqual(plan);
    expect(plan).toEqual(before);
  });

  it("rejects a plan that is not an array", () => {
    expect(() => withBackups({} as never)).toThrow(ValidationError);
    expect(() => countDeletes("x" as never)).toThrow(ValidationError);
  });
});
