import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScratchMemory } from "./scratch-memory";

const kinds = { Int32Array, Uint32Array, Uint8Array, BigUint64Array } as const;
type Kind = keyof typeof kinds;

/** Steps of phases: borrow an array, mark where the next one starts, or hand back to a mark. */
const steps = fc.array(
  fc.oneof(
    fc.record({
      borrow: fc.constantFrom<Kind>("Int32Array", "Uint32Array", "Uint8Array", "BigUint64Array"),
      length: fc.nat({ max: 300 }),
    }),
    fc.constant({ mark: true as const }),
    fc.record({ release: fc.nat() }),
  ),
  { maxLength: 60 },
);

function borrow(memory: ScratchMemory, kind: Kind, length: number): Uint8Array {
  const array = memory.borrow<ArrayBufferView & { length: number }>(kinds[kind], length);
  expect(array.length).toBe(length);
  // Every kind of array starts at a multiple of 8 bytes, as a BigUint64Array must.
  expect(array.byteOffset % 8).toBe(0);
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

describe("ScratchMemory", () => {
  it("lends arrays that are zeroed and never share a byte while borrowed, whatever the borrows, marks and hand-backs before", () => {
    // The model: a stack of live arrays, each filled with its own byte; a mark is the stack's height.
    fc.assert(
      fc.property(steps, fc.boolean(), (plan, handedBack) => {
        const memory = ScratchMemory.lend();
        const live: { bytes: Uint8Array; fill: number }[] = [];
        const start = memory.mark();
        const marks: { mark: ReturnType<ScratchMemory["mark"]>; height: number }[] = [];
        let fill = 1;
        for (const step of plan) {
          if ("borrow" in step) {
            const bytes = borrow(memory, step.borrow, step.length);
            expect(bytes.every((byte) => byte === 0)).toBe(true);
            bytes.fill(fill);
            live.push({ bytes, fill });
            fill = (fill % 255) + 1;
          } else if ("mark" in step) {
            marks.push({ mark: memory.mark(), height: live.length });
          } else if (marks.length > 0) {
            const [back] = marks.splice(step.release % marks.length);
            memory.release(back?.mark ?? start);
            live.length = back?.height ?? 0;
          }
          for (const array of live)
            expect(array.bytes.every((byte) => byte === array.fill)).toBe(true);
        }
        // A plan that hands its memory back leaves it to the next, which finds it empty.
        if (handedBack) memory.giveBack();
      }),
    );
  });

  it("gives the next plan the memory the last one handed back, and a plan started meanwhile other memory", () => {
    const first = ScratchMemory.lend();
    first.borrow(Int32Array, 1000).fill(7);
    const nested = ScratchMemory.lend();
    expect(nested).not.toBe(first);
    first.giveBack();
    const next = ScratchMemory.lend();
    expect(next).toBe(first);
    const reused = next.borrow(Int32Array, 1000);
    expect(reused.every((value) => value === 0)).toBe(true);
    next.giveBack();
  });

  it("replaces a chunk too small for an array when nothing borrowed lies in it, and keeps a chunk in use", () => {
    const memory = new ScratchMemory();
    const start = memory.mark();
    const small = memory.borrow(Uint8Array, 16);
    small.fill(1);
    // Too large for the first chunk, which holds `small`: a second chunk.
    const large = memory.borrow(Uint8Array, 64);
    expect(large.buffer).not.toBe(small.buffer);
    expect(small.every((byte) => byte === 1)).toBe(true);
    memory.release(start);
    // Nothing borrowed in the first chunk now: a larger array takes its place.
    const larger = memory.borrow(Uint8Array, 32);
    expect(larger.buffer).not.toBe(small.buffer);
    expect(larger.byteOffset).toBe(0);
  });

  it("lends lists with room for what is asked, apart while lent, and keeps none of their strings once handed back", () => {
    const memory = ScratchMemory.lend();
    const start = memory.mark();
    const first = memory.list(3);
    const second = memory.list(5);
    expect(first).not.toBe(second);
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(second.length).toBeGreaterThanOrEqual(5);
    second.fill("kept?", 0, 5);
    memory.release(start);
    // Handed back to a mark, the same list is lent again, as long as it was.
    const again = memory.list(2);
    expect(again).toBe(first);
    memory.giveBack();
    const next = ScratchMemory.lend();
    expect(next).toBe(memory);
    next.list(1);
    expect(next.list(1)).toBe(second);
    expect(second.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    next.giveBack();
  });
});
