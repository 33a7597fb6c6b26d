import type { DetermineActionsOptions } from "cosmic-allocation/sync";
import fc from "fast-check";
import { type NameRules, nameRules, VirtualDestination } from "./virtual-destination";

export type Tree = ReadonlyMap<string, string>;

export interface TreePair {
  readonly source: Tree;
  readonly dest: Tree;
}

/** The modes the planner is checked in, each with a tiny alphabet that makes its collisions common. */
export const MODES: readonly {
  readonly name: string;
  readonly options: DetermineActionsOptions;
  readonly names: readonly string[];
}[] = [
  { name: "exact names", options: {}, names: ["a", "b", "c", ".cosmic-sync-tmp"] },
  { name: "caseInsensitive", options: { caseInsensitive: true }, names: ["a", "A", "b", "B"] },
  { name: 'unicode "nfc"', options: { unicode: "nfc" }, names: ["\u00e9", "e\u0301", "a"] },
  {
    name: 'caseInsensitive and unicode "nfc"',
    options: { caseInsensitive: true, unicode: "nfc" },
    names: ["\u00e9", "\u00c9", "e\u0301", "a", "A"],
  },
];

const hash = fc.constantFrom("h1", "h2", "h3", "h4", "h5");

export function path(names: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...names), { minLength: 1, maxLength: 3 })
    .map((segments) => segments.join("/"));
}

/** Builds a valid tree from entries, dropping each one that clashes with those before it, as a file system would refuse it. */
export function toTree(entries: Iterable<readonly [string, string]>, rules: NameRules): Tree {
  const fs = new VirtualDestination([], rules);
  for (const [file, content] of entries) fs.put(file, content);
  return fs.tree();
}

function entries(names: readonly string[], maxLength: number) {
  return fc.array(fc.tuple(path(names), hash), { maxLength });
}

/**
 * A destination and a source made from it by the edits that trip planners:
 * contents swapped between paths (cycles), files renamed onto other paths of
 * the tiny alphabet (chains, stale targets, file/folder swaps), edited in
 * place, copied to more paths, dropped, and added.
 */
export function treePair(
  names: readonly string[],
  options: DetermineActionsOptions,
): fc.Arbitrary<TreePair> {
  const rules = nameRules(options);
  return fc
    .record({
      dest: entries(names, 8),
      swaps: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
      renames: fc.array(fc.tuple(fc.nat(), path(names)), { maxLength: 4 }),
      edits: fc.array(fc.tuple(fc.nat(), hash), { maxLength: 2 }),
      copies: fc.array(fc.tuple(fc.nat(), path(names)), { maxLength: 3 }),
      drops: fc.array(fc.nat(), { maxLength: 2 }),
      added: entries(names, 3),
    })
    .map(({ dest, swaps, renames, edits, copies, drops, added }) => {
      const destTree = toTree(dest, rules);
      const next = [...destTree].map(([file, content]) => [file, content] as [string, string]);
      const at = (i: number): [string, string] | undefined => next[i % Math.max(next.length, 1)];
      for (const [i, j] of swaps) {
        const a = at(i);
        const b = at(j);
        if (a !== undefined && b !== undefined) [a[1], b[1]] = [b[1], a[1]];
      }
      for (const [i, to] of renames) {
        const entry = at(i);
        if (entry !== undefined) entry[0] = to;
      }
      for (const [i, content] of edits) {
        const entry = at(i);
        if (entry !== undefined) entry[1] = content;
      }
      const duplicates = copies.flatMap(([i, to]) => {
        const entry = at(i);
        return entry === undefined ? [] : [[to, entry[1]] as const];
      });
      const dropped = new Set(drops.map((i) => i % Math.max(next.length, 1)));
      const kept = next.filter((_, i) => !dropped.has(i));
      return { source: toTree([...added, ...kept, ...duplicates], rules), dest: destTree };
    });
}

/** A cycle of moves: distinct contents at distinct paths, each shifted to the next path. */
export function rotation(
  names: readonly string[],
  options: DetermineActionsOptions,
): fc.Arbitrary<TreePair> {
  const rules = nameRules(options);
  return fc.array(path(names), { minLength: 2, maxLength: 6 }).map((paths) => {
    const dest = toTree(
      paths.map((file, i) => [file, `c${i}`] as const),
      rules,
    );
    const files = [...dest.keys()];
    const source = new Map(
      files.map((file, i) => [file, dest.get(files[(i + 1) % files.length] as string) as string]),
    );
    return { source, dest };
  });
}

/** Both trees: the mixed edits and, one time in four, a pure rotation. */
export function anyPair(
  names: readonly string[],
  options: DetermineActionsOptions,
): fc.Arbitrary<TreePair> {
  return fc.oneof(
    { weight: 3, arbitrary: treePair(names, options) },
    { weight: 1, arbitrary: rotation(names, options) },
  );
}

/** The same entries in another insertion order, by a seeded shuffle. */
export function shuffled<T>(items: Iterable<T>, seed: number): T[] {
  const result = [...items];
  let state = seed >>> 0 || 1;
  for (let i = result.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}
