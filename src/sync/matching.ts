import { ContentIndex, fingerprint } from "./content-index";
import type { Tree } from "./read-tree";
import type { ScratchMemory } from "./scratch-memory";

/** A source file the destination already has, at its key with its content. @internal */
export const KEPT = 0;
/** A target whose content the destination lacks: copied from the source. @internal */
export const COPY = 1;
/** A target whose content is already in the destination: duplicated there. @internal */
export const DUPLICATE = 2;
/** A target that a free destination file of the same content moves to. @internal */
export const MOVE = 3;
/**
 * A target whose content the destination holds only in stale files, which
 * writes replace: duplicated from the first of them before it is replaced.
 *
 * @internal
 */
export const RESCUE = 4;

/**
 * Decides where every file comes from and goes to, with no ordering yet.
 *
 * Files are numbered by their position in their tree's key order (a source
 * index, a destination index), and every decision is a typed array indexed by
 * those numbers: a million-file plan makes no object per file, and each list
 * below comes out in key order with no sort.
 *
 * - A source file whose key, content (and spelling, when case folds) the
 *   destination has is kept. Any other is a target.
 * - A destination file that is not kept is free. A free file at a target's
 *   key, spelled alike, is stale: the target's write replaces it in place, so
 *   that path is never missing; its content can only be read (duplicated)
 *   before that. Any other free file is loose: it moves to a target of its
 *   content or is deleted.
 * - For each content, its targets take its loose files by moves, both in key
 *   order; the rest duplicate a kept file of that content (the first in key
 *   order) or else the first target, which is then a move, a rescue from the
 *   first stale file holding the content, or the one copy of the content from
 *   the source. Loose files left over are deleted.
 *
 * @internal
 */
export class Matching {
  /** By source index: KEPT, COPY, DUPLICATE or MOVE. */
  readonly kind: Uint8Array;
  /** By source index: the destination index of the loose file at the same key (spelled otherwise), which must leave first, or -1. */
  readonly occupant: Int32Array;
  /** By source index: the destination index of the stale file the write replaces, or -1. */
  readonly replaced: Int32Array;
  /** By destination index: 1 for a stale file (replaced in place, never moved or deleted). */
  readonly stale: Uint8Array;
  /** By source index, for a MOVE: the destination index of the file that moves there; for a RESCUE, of the stale file it reads. */
  readonly mover: Int32Array;
  /** By source index, for a DUPLICATE: the source index of the target to read, or `-1 - i` for the kept destination file `i`. */
  readonly anchor: Int32Array;
  /** By destination index: the source index the file moves to (or, when stale, that rescues it), or -1 (kept, replaced, or deleted if loose). */
  readonly destination: Int32Array;
  /** The targets' source indices, in key order. */
  readonly targets: Int32Array;
  /** The free files' destination indices, in key order. */
  readonly free: Int32Array;

  /** Its arrays, and those of its lists for the time it builds them, are borrowed from `memory`. */
  constructor(source: Tree, dest: Tree, foldsCase: boolean, memory: ScratchMemory) {
    const sourceCount = source.count;
    const destCount = dest.count;
    this.kind = memory.borrow(Uint8Array, sourceCount);
    this.occupant = memory.borrow(Int32Array, sourceCount, false).fill(-1);
    this.replaced = memory.borrow(Int32Array, sourceCount, false).fill(-1);
    this.stale = memory.borrow(Uint8Array, destCount);
    this.mover = memory.borrow(Int32Array, sourceCount, false).fill(-1);
    this.anchor = memory.borrow(Int32Array, sourceCount);
    this.destination = memory.borrow(Int32Array, destCount, false).fill(-1);
    const targets = memory.borrow(Int32Array, sourceCount, false);
    const free = memory.borrow(Int32Array, destCount, false);
    const temporaries = memory.mark();
    const kept = memory.borrow(Int32Array, Math.min(sourceCount, destCount), false);
    let targetCount = 0;
    let freeCount = 0;
    let keptCount = 0;
    let i = 0;
    let j = 0;
    while (i < sourceCount || j < destCount) {
      const sourceKey = i < sourceCount ? source.keys[i] : undefined;
      const destKey = j < destCount ? dest.keys[j] : undefined;
      if (sourceKey !== undefined && sourceKey === destKey) {
        if (
          source.hashes[i] === dest.hashes[j] &&
          (!foldsCase || source.spellings[i] === dest.spellings[j])
        ) {
          kept[keptCount++] = j;
        } else {
          if (foldsCase && source.spellings[i] !== dest.spellings[j]) this.occupant[i] = j;
          else {
            this.replaced[i] = j;
            this.stale[j] = 1;
          }
          this.kind[i] = COPY;
          targets[targetCount++] = i;
          free[freeCount++] = j;
        }
        i++;
        j++;
      } else if (destKey === undefined || (sourceKey !== undefined && sourceKey < destKey)) {
        this.kind[i] = COPY;
        targets[targetCount++] = i++;
      } else {
        free[freeCount++] = j++;
      }
    }
    this.targets = targets.subarray(0, targetCount);
    this.free = free.subarray(0, freeCount);
    this.matchContents(source, dest, kept.subarray(0, keptCount), memory);
    memory.release(temporaries);
  }

  private matchContents(source: Tree, dest: Tree, kept: Int32Array, memory: ScratchMemory): void {
    const { targets, free } = this;
    const index = new ContentIndex(targets.length, source.hashes, memory);
    // Lists linked in key order, by content number (see ContentIndex): at most
    // one content per target, so no list is longer than the targets.
    const capacity = targets.length;
    /** By content: the position in `targets` of its first target, and of its last one so far. */
    const firstTarget = memory.borrow(Int32Array, capacity);
    const lastTarget = memory.borrow(Int32Array, capacity);
    /** By position in `targets`: the position of the next target of the same content, or -1. */
    const nextTarget = memory.borrow(Int32Array, capacity, false).fill(-1);
    const targetCount = memory.borrow(Int32Array, capacity);
    /** By content: the position in `free` of its first loose file, and of its last one so far. */
    const firstFree = memory.borrow(Int32Array, capacity, false).fill(-1);
    const lastFree = memory.borrow(Int32Array, capacity);
    /** By position in `free`: the position of the next loose file of the same content, or -1. */
    const nextFree = memory.borrow(Int32Array, free.length, false).fill(-1);
    const freeCount = memory.borrow(Int32Array, capacity);
    /** By content: the destination index of the first stale file holding it, or -1. */
    const firstStale = memory.borrow(Int32Array, capacity, false).fill(-1);

    for (let position = 0; position < targets.length; position++) {
      const content = index.findOrAdd(targets[position] as number);
      if (targetCount[content] === 0) firstTarget[content] = position;
      else nextTarget[lastTarget[content] as number] = position;
      lastTarget[content] = position;
      targetCount[content] = (targetCount[content] as number) + 1;
    }
    for (let position = 0; position < free.length; position++) {
      const file = free[position] as number;
      const content = index.find(dest.hashes[file] as string);
      if (content < 0) continue;
      if (this.stale[file] === 1) {
        if (firstStale[content] === -1) firstStale[content] = file;
        continue;
      }
      if (firstFree[content] === -1) firstFree[content] = position;
      else nextFree[lastFree[content] as number] = position;
      lastFree[content] = position;
      freeCount[content] = (freeCount[content] as number) + 1;
    }
    const keptCopy = findKeptCopies(source, dest, kept, index, targetCount, freeCount, memory);

    for (let content = 0; content < index.size; content++) {
      const first = index.first(content);
      let at = firstTarget[content] as number;
      for (
        let loose = firstFree[content] as number;
        loose >= 0 && at >= 0;
        loose = nextFree[loose] as number
      ) {
        const target = targets[at] as number;
        const file = free[loose] as number;
        this.kind[target] = MOVE;
        this.mover[target] = file;
        this.destination[file] = target;
        at = nextTarget[at] as number;
      }
      const copy = keptCopy[content] as number;
      // Without a kept copy, the first target is the one to read: moved there, rescued from a stale file, or copied once.
      if (copy < 0 && at === firstTarget[content]) {
        const rescued = firstStale[content] as number;
        if (rescued >= 0) {
          this.kind[first] = RESCUE;
          this.mover[first] = rescued;
          this.destination[rescued] = first;
        }
        at = nextTarget[at] as number;
      }
      for (; at >= 0; at = nextTarget[at] as number) {
        const target = targets[at] as number;
        this.kind[target] = DUPLICATE;
        this.anchor[target] = copy < 0 ? first : -1 - copy;
      }
    }
  }
}

/**
 * For each content with more targets than free files, finds the first kept
 * destination file (`kept` holds their destination indices) in key order that
 * holds it, to duplicate from. Returns their destination indices by content
 * number, -1 for a content with none (or no need of one).
 */
function findKeptCopies(
  source: Tree,
  dest: Tree,
  kept: Int32Array,
  index: ContentIndex,
  targetCount: Int32Array,
  freeCount: Int32Array,
  memory: ScratchMemory,
): Int32Array {
  const copies = memory.borrow(Int32Array, index.size, false).fill(-1);
  // A bit per fingerprint of the needy contents: most kept files are ruled out without a lookup.
  const filter = memory.borrow(Uint8Array, FILTER_BYTES);
  let needy = 0;
  for (let content = 0; content < index.size; content++) {
    if ((targetCount[content] as number) <= (freeCount[content] as number)) continue;
    needy += 1;
    const bit = fingerprint(source.hashes[index.first(content)] as string) & FILTER_MASK;
    filter[bit >>> 3] = (filter[bit >>> 3] as number) | (1 << (bit & 7));
  }
  let found = 0;
  for (let n = 0; n < kept.length && found < needy; n++) {
    const hash = dest.hashes[kept[n] as number] as string;
    const bit = fingerprint(hash) & FILTER_MASK;
    if (((filter[bit >>> 3] as number) & (1 << (bit & 7))) === 0) continue;
    const content = index.find(hash);
    if (content < 0 || copies[content] !== -1) continue;
    if ((targetCount[content] as number) <= (freeCount[content] as number)) continue;
    copies[content] = kept[n] as number;
    found += 1;
  }
  return copies;
}

// Literals, not `1 << 17`: bundlers keep computed top-level constants even when unused.
/** 128 KiB of filter: a million bits. */
const FILTER_BYTES = 131_072;
const FILTER_MASK = 1_048_575;
