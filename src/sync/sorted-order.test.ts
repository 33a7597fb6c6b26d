import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortedOrder } from "./sorted-order";

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The keys as `sortedOrder` orders them. */
const ordered = (keys: readonly string[]): string[] => {
  const order = sortedOrder(keys);
  if (order === null) throw new Error("a key was not a string");
  return order === undefined ? [...keys] : Array.from(order, (i) => keys[i] as string);
};

describe("sortedOrder", () => {
  it("says nothing needs sorting for keys already in code-unit order", () => {
    expect(sortedOrder(["a", "a/b", "a0", "b"])).toBeUndefined();
    expect(sortedOrder([])).toBeUndefined();
    // The empty key sorts first: a first key that is empty is in order too.
    expect(sortedOrder(["", "a"])).toBeUndefined();
    expect(sortedOrder([""])).toBeUndefined();
  });

  it("orders distinct keys as the built-in sort orders them by code units", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.string({ unit: fc.constantFrom("a", "b", "/", "\u00e9", "\ud83d\ude00", "z") }),
          {
            minLength: 2,
            maxLength: 200,
          },
        ),
        (keys) => {
          expect(ordered(keys)).toEqual([...keys].sort(byCodeUnits));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("sorts a large tree of paths with long shared prefixes", () => {
    const keys = Array.from(
      { length: 5000 },
      (_, i) => `project-${(i * 7919) % 97}/module-${i % 13}/file-${i}.dat`,
    );
    expect(ordered(keys)).toEqual([...keys].sort(byCodeUnits));
  });

  it("skips a prefix every key of a range shares, however long, including keys that end inside it", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "/"), maxLength: 60 }),
        fc.uniqueArray(fc.string({ unit: fc.constantFrom("a", "b", "/"), maxLength: 6 }), {
          minLength: 13,
          maxLength: 80,
        }),
        fc.nat(60),
        (shared, suffixes, cut) => {
          const keys = [
            ...new Set([...suffixes.map((suffix) => shared + suffix), shared.slice(0, cut)]),
          ];
          expect(ordered(keys)).toEqual([...keys].sort(byCodeUnits));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("sorts keys that are each a prefix of the next, in any order", () => {
    const keys = Array.from({ length: 450 }, (_, i) => "x".repeat(((i * 17) % 450) + 1));
    expect(ordered(keys)).toEqual([...keys].sort(byCodeUnits));
  });

  it("a key that is not a string stops it wherever it lies, also where a round samples keys", () => {
    // Out of order from the start, so the sort runs: its first round samples
    // keys spread over the list before it checks them all.
    const strings = Array.from(
      { length: 40 },
      (_, i) => `folder/${String(39 - i).padStart(2, "0")}`,
    );
    for (const intruder of [null, undefined, 7, Symbol("key"), { length: 3 }]) {
      for (let at = 1; at < strings.length; at++) {
        const keys: unknown[] = [...strings];
        keys[at] = intruder;
        expect(sortedOrder(keys)).toBeNull();
      }
    }
  });

  it("sorts a tree whose ranges go through the counting sort one after another", () => {
    // Two folders of 3,000 files each: the first round, and then each folder's range, are
    // large enough to be sorted by counting, so one table serves three ranges in turn.
    const keys = Array.from(
      { length: 6000 },
      (_, i) => `${i % 2 === 0 ? "left" : "right"}/${(i * 7919) % 6007}`,
    );
    expect(ordered(keys)).toEqual([...keys].sort(byCodeUnits));
  });
});
