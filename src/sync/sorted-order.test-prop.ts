import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortedOrder } from "./sorted-order";

/** The comparison the radix sort replaces: code units, as `<` compares strings. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order the comparison sort gives: stable, so equal keys keep their input order. */
const comparisonOrder = (keys: readonly string[]): number[] =>
  keys.map((_, i) => i).sort((a, b) => byCodeUnits(keys[a] as string, keys[b] as string));

const asArray = (order: Uint32Array | undefined | null, length: number): number[] | null =>
  order === null ? null : order === undefined ? Array.from({ length }, (_, i) => i) : [...order];

/**
 * Units that sit on every boundary of the codes: below "/" ("-", ".", " ", U+0001, NUL),
 * the last narrow units (U+00FD) and the first wide ones (U+00FE, U+00FF, U+0100), both
 * halves of a surrogate pair, and U+FFFE and U+FFFF, which share a wide code.
 */
const unit = fc.constantFrom(
  "a",
  "b",
  "/",
  "-",
  ".",
  " ",
  "\u0001",
  "\u0000",
  "\u00e9",
  "\u00fd",
  "\u00fe",
  "\u00ff",
  "\u0100",
  "\u4e2d",
  "\ud83d",
  "\ude00",
  "\ufffe",
  "\uffff",
);

/** Keys in folders that share long prefixes, as paths do, so that sorts go several rounds deep. */
const keysWithSharedPrefixes = fc
  .tuple(
    fc.array(fc.string({ unit, maxLength: 40, size: "max" }), { minLength: 1, maxLength: 4 }),
    // Enough keys that ranges outgrow the insertion sort and go through rounds.
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ unit, maxLength: 6 })), {
      maxLength: 300,
      size: "max",
    }),
  )
  .map(([prefixes, picks]) =>
    picks.map(([prefix, cut, suffix]) => {
      const shared = prefixes[prefix % prefixes.length] as string;
      // Now and then a key parts from its folder early, where a sample may miss it.
      return (cut % 7 === 0 ? shared.slice(0, cut % (shared.length + 1)) : shared) + suffix;
    }),
  );

describe("sortedOrder", () => {
  it("orders any keys exactly as the comparison sort it replaces, equal keys in input order", () => {
    fc.assert(
      fc.property(keysWithSharedPrefixes, (keys) => {
        expect(asArray(sortedOrder(keys), keys.length)).toEqual(comparisonOrder(keys));
      }),
      { numRuns: 300 },
    );
  });

  it("orders names of one width, that part at scattered units and now and then elsewhere, as the comparison sort does", () => {
    // Names like "project-012/module-34/file-567.dat" share long runs of units
    // between the few where they part, so each round skips a prefix that a
    // sample of its keys shares, the first round included. A name that parts
    // elsewhere, is cut short or runs on, shows the guess wrong.
    const sameWidth = fc
      .record({
        template: fc.array(unit, { minLength: 4, maxLength: 24 }),
        parting: fc.uniqueArray(fc.nat(23), { minLength: 1, maxLength: 6 }),
        names: fc.array(
          fc.record({
            units: fc.array(unit, { minLength: 6, maxLength: 6 }),
            oddity: fc.nat(29),
            at: fc.nat(24),
            odd: unit,
          }),
          { minLength: 33, maxLength: 400 },
        ),
      })
      .map(({ template, parting, names }) =>
        names.map(({ units, oddity, at, odd }) => {
          const name: string[] = [...template];
          parting.forEach((position, i) => {
            if (position < name.length) name[position] = units[i] as string;
          });
          if (oddity === 0) name[at % name.length] = odd;
          if (oddity === 1) name.length = at % name.length;
          if (oddity === 2) name.push(odd);
          return name.join("");
        }),
      );
    fc.assert(
      fc.property(sameWidth, (keys) => {
        expect(asArray(sortedOrder(keys), keys.length)).toEqual(comparisonOrder(keys));
      }),
      { numRuns: 300 },
    );
  });

  it("orders ranges large enough to be sorted by counting as the comparison sort does, equal keys in input order", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: fc.constantFrom("a", "b", "/", "\u00e9", "\u4e2d"), maxLength: 5 }),
          {
            minLength: 2100,
            maxLength: 2600,
          },
        ),
        fc.nat(3),
        (suffixes, shape) => {
          // Keys that share some of the four bytes a round packs, so that the counting sort
          // skips some of its passes and ends in either buffer.
          const keys = suffixes.map((suffix, i) =>
            shape === 0
              ? suffix
              : shape === 1
                ? `x${suffix}`
                : shape === 2
                  ? `${i % 3}x${suffix}`
                  : `${suffix}${i % 5}`,
          );
          expect(asArray(sortedOrder(keys), keys.length)).toEqual(comparisonOrder(keys));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("orders distinct arbitrary strings, full Unicode and lone surrogates included, as the comparison sort does", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: "binary", maxLength: 12 }), { maxLength: 200 }),
        (keys) => {
          expect(asArray(sortedOrder(keys), keys.length)).toEqual(comparisonOrder(keys));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a key that is not a string stops it, before any key is converted", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, maxLength: 6 }), { maxLength: 100 }),
        fc.nat(),
        fc.constantFrom<unknown>(1, null, undefined, Symbol("key"), ["a"]),
        (keys, at, intruder) => {
          let converted = false;
          const hostile =
            typeof intruder === "object" && intruder !== null
              ? Object.assign(intruder, {
                  toString: () => {
                    converted = true;
                    return "a";
                  },
                })
              : intruder;
          const mixed: unknown[] = [...keys];
          mixed.splice(at % (keys.length + 1), 0, hostile);
          expect(sortedOrder(mixed)).toBeNull();
          expect(converted).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
