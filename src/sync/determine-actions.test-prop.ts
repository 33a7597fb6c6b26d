import {
  createPathFilter,
  type DetermineActionsOptions,
  determineActions,
  ExcludedPathInTheWay,
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

  it("the plan does not depend on the plans made before it, which lent their memory to it", () => {
    fc.assert(
      fc.property(pairs, pairs, (pair, before) => {
        const alone = plan(pair);
        plan(before);
        expect(plan(pair)).toEqual(alone);
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

/** A pattern over the mode's names: maybe anchored, one or two segments of names and wildcards, maybe folder-only. */
function pattern(names: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.boolean(),
      fc.array(fc.constantFrom(...names, "*", "?", "**"), { minLength: 1, maxLength: 2 }),
      fc.boolean(),
    )
    .map(([anchored, segments, folderOnly]) => {
      const body = segments.join("/");
      return `${anchored ? "/" : ""}${body}${folderOnly ? "/" : ""}`;
    });
}

describe.each(MODES)(
  "determineActions laws with exclude and include, $name",
  ({ options, names }) => {
    const rules = nameRules(options);
    const related = (a: string, b: string) =>
      a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    /** A folder both paths are in, which each spells its own way: the excluded file keeps the old spelling. */
    const foldersSpelledOtherwise = (a: string, b: string) => {
      const [x, y] = [rules.spelling(a).split("/"), rules.spelling(b).split("/")];
      for (let i = 0; i < Math.min(x.length, y.length) - 1; i++) {
        if (rules.key(x[i] as string) !== rules.key(y[i] as string)) return false;
        if (x[i] !== y[i]) return true;
      }
      return false;
    };

    it("excluded destination files stay as they are, excluded source files are not written, and the rest is mirrored exactly, safely, with no shared path missing; or a source file needs an excluded file's path and nothing is planned", () => {
      fc.assert(
        fc.property(
          anyPair(names, options),
          fc.array(pattern(names), { maxLength: 3 }),
          fc.array(pattern(names), { maxLength: 2 }),
          ({ source, dest }, exclude, include) => {
            const filter = createPathFilter({ exclude, include });
            const keptSource = new Map([...source].filter(([path]) => !filter.excludesFile(path)));
            const excludedDest = [...dest].filter(([path]) => filter.excludesFile(path));
            let plan: SyncAction[];
            try {
              plan = determineActions(source, dest, { ...options, exclude, include });
            } catch (error) {
              if (!ExcludedPathInTheWay.is(error)) throw error;
              const conflict = [...keptSource.keys()].some((path) =>
                excludedDest.some(
                  ([other]) =>
                    related(rules.key(path), rules.key(other)) ||
                    foldersSpelledOtherwise(path, other),
                ),
              );
              expect(conflict).toBe(true);
              return;
            }
            const { final, lostAt, missingAt } = replay(keptSource, dest, plan, rules);
            expect(sorted(canonical(final, rules))).toEqual(
              sorted(canonical(new Map([...keptSource, ...excludedDest]), rules)),
            );
            expect(lostAt).toBeUndefined();
            expect(missingAt).toBeUndefined();
          },
        ),
        RUNS,
      );
    });
  },
);
