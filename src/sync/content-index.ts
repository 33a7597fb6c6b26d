/** Longest probe for a free slot; contents beyond it go to a map keyed by the whole hash. */
const PROBES = 32;

/**
 * Finds, by content hash, the first target (its source index) of each content.
 *
 * A `Map` keyed by the hash strings pays, for every lookup, for hashing a
 * 64-character string and chasing entries across a large table. Here an
 * open-addressing table of integers, sized once, is indexed by a fingerprint
 * sampled from the hash, and a lookup compares the whole hash only with the
 * few entries it probes. A probe never runs past {@link PROBES} slots:
 * contents beyond go to a map keyed by the whole hash, so hashes built to
 * collide cost no more than a plain map.
 *
 * @internal
 */
export class ContentIndex {
  /** Slot to 1 + a source index; 0 is an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly overflow = new Map<string, number>();

  /**
   * @param capacity - the most contents there will be
   * @param hashes - the source hashes, by source index
   */
  constructor(
    capacity: number,
    private readonly hashes: readonly string[],
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The source index of the first target holding `hash`, or -1. */
  find(hash: string): number {
    let slot = fingerprint(hash) & this.mask;
    for (let probe = 0; probe < PROBES; probe++) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      if (this.hashes[entry - 1] === hash) return entry - 1;
      slot = (slot + 1) & this.mask;
    }
    return this.overflow.get(hash) ?? -1;
  }

  /** The source index of the first target holding the content of `index`, which becomes it if none does. */
  findOrAdd(index: number): number {
    const hash = this.hashes[index] as string;
    let slot = fingerprint(hash) & this.mask;
    for (let probe = 0; probe < PROBES; probe++) {
      const entry = this.slots[slot] as number;
      if (entry === 0) {
        this.slots[slot] = index + 1;
        return index;
      }
      if (this.hashes[entry - 1] === hash) return entry - 1;
      slot = (slot + 1) & this.mask;
    }
    const first = this.overflow.get(hash);
    if (first !== undefined) return first;
    this.overflow.set(hash, index);
    return index;
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
