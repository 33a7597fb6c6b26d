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
  it("finds the first index holding each content", () => {
    const hashes = ["h1", "h2", "h1"];
    const index = new ContentIndex(3, hashes);
    expect(hashes.map((_, i) => index.findOrAdd(i))).toEqual([0, 1, 0]);
    expect(index.find("h2")).toBe(1);
    expect(index.find("h3")).toBe(-1);
  });

  it("keeps every content apart when hashes are built to share a fingerprint", () => {
    const hashes = [...colliding(100), ...colliding(100)];
    expect(new Set(hashes.map(fingerprint)).size).toBe(1);
    const index = new ContentIndex(200, hashes);
    expect(hashes.map((_, i) => index.findOrAdd(i))).toEqual(
      [...hashes.keys()].map((i) => i % 100),
    );
    for (const [i, hash] of colliding(100).entries()) expect(index.find(hash)).toBe(i);
    expect(index.find(colliding(101)[100] as string)).toBe(-1);
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
