import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ContentIndex, fingerprint } from "./content-index";

/** 64-character hashes that differ only where the fingerprint does not look: all share one fingerprint. */
function colliding(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `a${i.toString(16).padStart(6, "0")}${"b".repeat(57)}`,
  );
}

describe("ContentIndex", () => {
  it("numbers each content in the order first added, and remembers the index that first held it", () => {
    const hashes = ["h1", "h2", "h1", "h3"];
    const index = new ContentIndex(4, hashes);
    expect([1, 0, 2, 3].map((i) => index.findOrAdd(i))).toEqual([0, 1, 1, 2]);
    expect(index.size).toBe(3);
    expect([0, 1, 2].map((content) => index.first(content))).toEqual([1, 0, 3]);
    expect(index.find("h1")).toBe(1);
    expect(index.find("h4")).toBe(-1);
  });

  it("keeps every content apart when hashes are built to share a fingerprint", () => {
    const hashes = [...colliding(100), ...colliding(100)];
    expect(new Set(hashes.map(fingerprint)).size).toBe(1);
    const index = new ContentIndex(200, hashes);
    expect(hashes.map((_, i) => index.findOrAdd(i))).toEqual(
      [...hashes.keys()].map((i) => i % 100),
    );
    for (const [i, hash] of colliding(100).entries()) {
      expect(index.find(hash)).toBe(i);
      expect(index.first(i)).toBe(i);
    }
    expect(index.find(colliding(101)[100] as string)).toBe(-1);
  });

  it("finds every one of 100,000 contents by its hash: a slot's number and tag never spill into each other", () => {
    // 17 bits of each slot hold the number, 15 the tag: contents past 2^16
    // show a number cut short, or a tag read into it.
    const hashes = Array.from(
      { length: 100_000 },
      (_, i) => `${Math.imul(i, 2654435761).toString(16)}-${i.toString(36)}`,
    );
    const index = new ContentIndex(hashes.length, hashes);
    expect(hashes.map((_, i) => index.findOrAdd(i))).toEqual([...hashes.keys()]);
    expect(hashes.every((hash, i) => index.find(hash) === i && index.first(i) === i)).toBe(true);
    expect(index.find("absent")).toBe(-1);
  });

  it("numbers contents as a map from each hash to its order of appearance would, whatever the slots they share", () => {
    // Few distinct short hashes in a small table: slots are shared between contents of different fingerprints.
    const hashes = fc.array(fc.stringMatching(/^[ab]{1,4}$/), { maxLength: 40 });
    fc.assert(
      fc.property(hashes, fc.array(fc.stringMatching(/^[ab]{1,5}$/)), (list, probes) => {
        const index = new ContentIndex(list.length, list);
        const numbers = new Map<string, number>();
        list.forEach((hash, i) => {
          if (!numbers.has(hash)) numbers.set(hash, numbers.size);
          expect(index.findOrAdd(i)).toBe(numbers.get(hash));
        });
        for (const hash of [...list, ...probes]) {
          const content = index.find(hash);
          expect(content).toBe(numbers.get(hash) ?? -1);
          if (content >= 0) expect(list[index.first(content)]).toBe(hash);
        }
        expect(index.size).toBe(numbers.size);
      }),
    );
  });
});

describe("fingerprint", () => {
  it("is a non-negative 30-bit integer that tells distinct hashes apart", () => {
    const prints = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const print = fingerprint(`${i.toString(16)}-${(i * 2654435761).toString(16)}`);
      expect(print).toBeGreaterThanOrEqual(0);
      expect(print).toBeLessThan(2 ** 30);
      prints.add(print);
    }
    expect(prints.size).toBeGreaterThan(9_990);
  });

  it("samples both ends of a hash: hashes that differ only in their first, or only in their last, character are told apart", () => {
    for (let i = 0; i < 1_000; i++) {
      const middle = `${i.toString(36)}-${"0".repeat(i % 70)}`;
      expect(fingerprint(`a${middle}z`)).not.toBe(fingerprint(`b${middle}z`));
      expect(fingerprint(`a${middle}y`)).not.toBe(fingerprint(`a${middle}z`));
    }
  });
});
