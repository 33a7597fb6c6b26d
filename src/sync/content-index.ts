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
 * sampled from the hash. Each slot is one 32-bit word: the content's number
 * in its low bits, as many as the capacity needs, and a tag from the
 * fingerprint in the bits above. A lookup compares whole hashes only where
 * the tags agree: at a million files each hash string read is a cache miss,
 * and a slot taken by another content costs none. One word a slot, not two,
 * halves the table (2 MB at a million paths), which is what a lookup waits
 * for once the table no longer fits in the caches: the matching of a million
 * shuffled paths took 95 and 107 ms against 106 and 121 ms with two words
 * (two runs of one process, alternating, on the bench's trees). A probe
 * never runs past {@link PROBES} slots: contents beyond go to a map keyed by
 * the whole hash, so hashes built to collide cost no more than a plain map.
 *
 * Numbers rather than source indices let the matching keep its lists per
 * content in arrays as long as the targets, not as the whole source.
 *
 * @internal
 */
export class ContentIndex {
  /** One word per slot: 0 when empty, else the tag above {@link ContentIndex.numberBits} bits of 1 + a content's number. */
  private readonly slots: Uint32Array;
  private readonly mask: number;
  /** How many low bits of a slot hold 1 + a content's number: enough for the capacity. */
  private readonly numberBits: number;
  /** Those bits set. */
  private readonly numberMask: number;
  /** How far a fingerprint is shifted to keep, as its tag, the bits of a slot above the number. */
  private readonly tagShift: number;
  /** By content number: the source index that first held it. */
  private readonly firsts: Int32Array;
  private readonly overflow = new Map<string, number>();
  /** How many contents have a number. */
  size = 0;
  /** Set by the last lookup that found nothing: the empty slot it stopped at, or -1 when it ran {@link PROBES} slots. */
  private vacant = -1;
  /** Set with {@link ContentIndex.vacant}: the word the hash's content would take there, less its number. */
  private vacancy = 0;

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
    this.slots = memory.borrow(Uint32Array, size);
    this.mask = size - 1;
    // At least one bit is left for the tag: no list of 2^31 targets fits in memory.
    let bits = 1;
    while (bits < 31 && 2 ** bits <= capacity) bits++;
    this.numberBits = bits;
    this.numberMask = 2 ** bits - 1;
    // Fingerprints have 30 bits: the top 32 - bits of them, or all when fewer.
    this.tagShift = Math.max(0, bits - 2);
    this.firsts = memory.borrow(Int32Array, capacity);
  }

  /** The source index that first held content number `content`. */
  first(content: number): number {
    return this.firsts[content] as number;
  }

  /** The number of the content `hash`, or -1 when no target holds it. */
  find(hash: string): number {
    const print = fingerprint(hash);
    const tag = print >>> this.tagShift;
    let slot = print & this.mask;
    for (let probe = 0; probe < PROBES; probe++) {
      const entry = this.slots[slot] as number;
      if (entry === 0) {
        this.vacant = slot;
        this.vacancy = ((tag << this.numberBits) | 1) >>> 0;
        return -1;
      }
      if (entry >>> this.numberBits === tag) {
        const content = (entry & this.numberMask) - 1;
        if (this.hashes[this.firsts[content] as number] === hash) return content;
      }
      slot = (slot + 1) & this.mask;
    }
    this.vacant = -1;
    return this.overflow.get(hash) ?? -1;
  }

  /** The number of the content of source file `index`, given the next number if no target added before holds it. */
  findOrAdd(index: number): number {
    const hash = this.hashes[index] as string;
    const found = this.find(hash);
    if (found >= 0) return found;
    const content = this.size++;
    this.firsts[content] = index;
    // Where the lookup stopped: the first empty slot of the probe, or none within it.
    if (this.vacant < 0) this.overflow.set(hash, content);
    else this.slots[this.vacant] = this.vacancy + content;
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
