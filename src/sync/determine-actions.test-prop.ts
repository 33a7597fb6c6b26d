import {
  type DetermineActionsOptions,
  determineActions,
  type SyncAction,
} from "cosmic-allocation/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyPair, MODES, shuffled, type TreePair } from "../../test/sync/arbitraries";
import { canonical, nameRules, replay } from "../../test/sync/virtual-destination";

const RUNS = { numRuns: 100 };

function sorted(tree: ReadonlyMap<string, string>): [string, string][] {
  return [...tree].sort(([a], [b]) => (a < b ? -1 : 1));
}

function writes(actions: readonly SyncAction[]): Exclude<SyncAction, { type: "delete" }>[] {
  return actions.filter((action) => action.type !== "delete");
}

describe.each(MODES)("determineActions laws, $name", ({ options, names }) => {
  const rules = nameRules(options);
  const pairs = anyPair(names, options);
  const plan = ({ source, dest }: TreePair, opts: DetermineActionsOptions = options) =>
    determineActions(source, dest, opts);

  it("applying the plan in order yields exactly the source tree", () => {
    fc.assert(
      fc.property(pairs, (pair) => {
        const { final } = replay(pair.source, pair.dest, plan(pair), rules);
        expect(sorted(canonical(final, rules))).toEqual(sorted(canonical(pair.source, rules)));
      }),
      RUNS,
    );
  });

  it("every action finds its preconditions when it runs: the read file holds the hash, the written path is free or holds what the write replaces, never a folder, never below a file, and a delete removes the content it names", () => {
    fc.assert(
      fc.property(pairs, (pair) => {
        expect(() => replay(pair.source, pair.dest, plan(pair), rules)).not.toThrow();
      }),
      RUNS,
    );
  });

  it("after every step the destination still holds each content the source needs and it had", () => {
    fc.assert(
      fc.property(pairs, (pair) => {
        expect(replay(pair.source, pair.dest, plan(pair), rules).lostAt).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("no path both trees have is ever missing: a stale file is replaced in place, never deleted first", () => {
    fc.assert(
      fc.property(pairs, (pair) => {
        expect(replay(pair.source, pair.dest, plan(pair), rules).missingAt).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("the copies transfer each distinct content the destination lacks exactly once", () => {
    fc.assert(
      fc.property(pairs, ({ source, dest }) => {
        const had = new Set(dest.values());
        const lacking = [...new Set(source.values())].filter((hash) => !had.has(hash)).sort();
        const copied = determineActions(source, dest, options)
          .filter((action) => action.type === "copy")
          .map((action) => action.hash)
          .sort();
        expect(copied).toEqual(lacking);
      }),
      RUNS,
    );
  });

  it("a content is never both duplicated and deleted: a file that could move is moved", () => {
    fc.assert(
      fc.property(pairs, ({ source, dest }) => {
        const actions = determineActions(source, dest, options);
        const deletedContents = new Set(
          actions.flatMap((action) =>
            action.type === "delete" ? [dest.get(action.path) as string] : [],
          ),
        );
        const duplicated = actions.filter(
          (action) => action.type === "duplicate" && deletedContents.has(action.hash),
        );
        expect(duplicated).toEqual([]);
      }),
      RUNS,
    );
  });

  it("planning again after applying the plan yields no actions", () => {
    fc.assert(
      fc.property(pairs, (pair) => {
        const { final } = replay(pair.source, pair.dest, plan(pair), rules);
        expect(determineActions(pair.source, final, options)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("the plan does not depend on the insertion order of either tree, nor on Map or object form", () => {
    fc.assert(
      fc.property(pairs, fc.integer(), fc.integer(), (pair, seedA, seedB) => {
        const source = Object.fromEntries(shuffled(pair.source, seedA));
        const dest = new Map(shuffled(pair.dest, seedB));
        expect(determineActions(source, dest, options)).toEqual(plan(pair));
      }),
      RUNS,
    );
  });

  it("a file parked at a temporary name leaves it by the next move of that name, to a source path", () => {
    fc.assert(
      fc.property(pairs, (pair) => {
        const actions = plan(pair);
        const sourceKeys = new Set([...pair.source.keys()].map(rules.key));
        const inSource = (path: string) => sourceKeys.has(rules.key(path));
        actions.forEach((action, i) => {
          if (action.type !== "move" || inSource(action.to)) return;
          expect(action.to).toMatch(/^\.cosmic-sync-tmp(-\d+)?\/\d+$/);
          const next = actions
            .slice(i + 1)
            .find((a) => a.type !== "delete" && a.from === action.to);
          expect(next).toMatchObject({ type: "move", from: action.to });
          expect(inSource((next as SyncAction & { to: string }).to)).toBe(true);
        });
      }),
      RUNS,
    );
  });
});

describe("determineActions laws, deletes", () => {
  const { options, names } = MODES[0] as (typeof MODES)[number];
  it("a delete comes after every write, unless a later write needs the path it frees (the same path, a folder of it, or a path inside it)", () => {
    fc.assert(
      fc.property(anyPair(names, options), ({ source, dest }) => {
        const actions = determineActions(source, dest, options);
        const related = (a: string, b: string) =>
          a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
        actions.forEach((action, i) => {
          if (action.type !== "delete") return;
          const later = writes(actions.slice(i + 1));
          if (later.length === 0) return;
          expect(later.some((write) => related(write.to, action.path))).toBe(true);
        });
      }),
      RUNS,
    );
  });
});
