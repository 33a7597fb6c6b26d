import { ScratchMemory } from "./scratch-memory";

/** Longest probe for a free slot; contents beyond it go to a map keyed by the whole hash. */
const PROBES = 32;

/**
 * Numbers the distinct contents of the targets, 0, 1, 2… in the order they
 * are first added, and finds a content's number by its hash.
 *
 * A `Map` keyed by the hash strings pays, for every lookup, for hashing a
 * 64-character string and chasing entries across a large table. Here an
 * open-addressing table of integers, sized once, is indexed by a fingerprint
 * sampled from the hash. Each slot keeps the fingerprint beside the content's
 * number, and a lookup compares whole hashes only where the fingerprints
 * agree: at a million files each hash string read is a cache miss, and a slot
 * taken by another content costs none. A probe never runs past
 * {@link PROBES} slots: contents beyond go to a map keyed by the whole hash,
 * so hashes built to collide cost no more than a plain map.
 *
 * Numbers rather than source indices let the matching keep its lists per
 * content in arrays as long as the targets, not as the whole source.
 *
 * @internal
 */
export class ContentIndex {
  /** Two numbers per slot: 1 + a content's number (0 for an empty slot), then the fingerprint of its hash. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** By content number: the source index that first held it. */
  private readonly firsts: Int32Array;
  private readonly overflow = new Map<string, number>();
  /** How many contents have a number. */
  size = 0;

  /**
   * @param capacity - the most contents there will be
   * @param hashes - the source hashes, by source index
   * @param memory - where its arrays are borrowed from
   */
  constructor(
    capacity: number,
    private readonly hashes: readonly string[],
    memory: ScratchMemory = new ScratchMemory(),
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = memory.borrow(Int32Array, 2 * size);
    this.mask = size - 1;
    this.firsts = memory.borrow(Int32Array, capacity);
  }

  /** The source index that first held content number `content`. */
  first(content: number): number {
    return this.firsts[content] as number;
  }

  /** The number of the content `hash`, or -1 when no target holds it. */
  find(hash: string): number {
    const print = fingerprint(hash);
    let slot = print & this.mask;
    for (let probe = 0; probe < PROBES; probe++) {
      const entry = this.slots[2 * slot] as number;
      if (entry === 0) return -1;
      if (
        this.slots[2 * slot + 1] === print &&
        this.hashes[this.firsts[entry - 1] as number] === hash
      )
        return entry - 1;
      slot = (slot + 1) & this.mask;
    }
    return this.overflow.get(hash) ?? -1;
  }

  /** The number of the content of source file `index`, given the next number if no target added before holds it. */
  findOrAdd(index: number): number {
    const hash = this.hashes[index] as string;
    const print = fingerprint(hash);
    let slot = print & this.mask;
    for (let probe = 0; probe < PROBES; probe++) {
      const entry = this.slots[2 * slot] as number;
      if (entry === 0) {
        const content = this.size++;
        this.firsts[content] = index;
        this.slots[2 * slot] = content + 1;
        this.slots[2 * slot + 1] = print;
        return content;
      }
      if (
        this.slots[2 * slot + 1] === print &&
        this.hashes[this.firsts[entry - 1] as number] === hash
      )
        return entry - 1;
      slot = (slot + 1) & this.mask;
    }
    const known = this.overflow.get(hash);
    if (known !== undefined) return known;
    const content = this.size++;
    this.firsts[content] = index;
    this.overflow.set(hash, content);
    return content;
  }
}

/**
 * A 30-bit integer sampled from a content hash: its length and ten characters
 * spread over it, mixed. Content hashes are random, so samples separate them.
 *
 * @internal
 */
export function fingerprint(hash: string): number {
  const last = hash.length - 1;
  let mixed = hash.length;
  for (let sample = 0; sample <= 9; sample++) {
    const index = Math.floor((last * sample) / 9);
    mixed = Math.imul(mixed ^ hash.charCodeAt(index), 0x9e3779b1);
    mixed ^= mixed >>> 15;
  }
  return mixed & 0x3fffffff;
}
