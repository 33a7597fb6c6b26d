/** Ranges this small are finished by insertion: their keys, once touched, sit in the cache. */
const SMALL = 32;
/** Keys sampled to guess the prefix a range shares. */
const SAMPLE = 16;
/** The code of a unit that a narrow round cannot hold: the range goes on in a wide round there. */
const ESCAPE = 0xff;
/** The wide code shared by U+FFFE and U+FFFF: a range holding it is finished by comparison. */
const WIDE_AMBIGUOUS = 0xffff;
/** Ranges this large are sorted by counting, smaller ones natively. */
const COUNTING = 2048;
/** Keys touched together, before their codes are packed. */
const BATCH = 32;
/** What {@link RadixSort.fill} returns when every key agreed with the first up to the depth. */
const SKIPPED = -1;
/** What {@link RadixSort.fill} returns when a key is not a string. */
const NOT_A_STRING = -2;

/**
 * Returns the indices of `keys` in code-unit order of the keys (the order of
 * `<` on strings), equal keys in their input order; undefined when the keys
 * are in that order already, which one pass confirms (a tree listed by a
 * sorted walk, as `hashTree` gives, needs no sort); null, having converted
 * nothing, when a key is not a string.
 *
 * A million shuffled keys lie all over memory, and every time a sort touches
 * one it pays a cache miss or two: a comparison sort touches each key about
 * twenty times. This one is a most-significant-first radix sort in rounds.
 * Each round touches every key of a range once, packs its next four code
 * units (a byte each) with its index into one 64-bit word, and sorts the
 * words natively (`BigUint64Array.prototype.sort`, in the engine, without a
 * callback). Keys whose words tie go on together in a next round. Before a
 * round, the prefix every key of the range shares (paths share long folder
 * prefixes) is guessed from a sample and skipped, checked against each key as
 * it is touched. So a key is touched about once per level at which its
 * folder's entries differ, rather than once per comparison.
 *
 * A narrow round codes a unit `u` below 0xfe as `u + 1`, the end of the key as
 * 0, and any larger unit as 0xff, an escape that stops the packing: keys that
 * tie there go on in a wide round, two units of 16 bits each. Every code
 * keeps the order of what it codes, so words order keys as `<` does, up to
 * the ties that the next round settles.
 *
 * @internal
 */
export function sortedOrder(keys: readonly unknown[]): Uint32Array | undefined | null {
  const n = keys.length;
  let previous = "";
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (typeof key !== "string") return null;
    if (i > 0 && !(previous < key)) return new RadixSort(keys).run();
    previous = key;
  }
  return undefined;
}

class RadixSort {
  private readonly keys: readonly string[];
  private readonly words: BigUint64Array;
  /** The words as 32-bit halves: each word's low half holds the key's index, its high half four codes. */
  private readonly halves: Uint32Array;
  private readonly low: number;
  private readonly high: number;
  /** Ranges still to sort, four numbers each: first position, end position, depth, wide (1) or narrow (0). */
  private readonly pending: number[] = [];
  /** Room for the counting sort to copy words into, made on first use. */
  private scratch: Uint32Array | undefined;
  /** Where the touching loop leaves its result, so that the engine cannot drop it. */
  touched = 0;

  constructor(keys: readonly unknown[]) {
    this.keys = keys as readonly string[];
    this.words = new BigUint64Array(keys.length);
    this.halves = new Uint32Array(this.words.buffer);
    // Which half of a word is its low half depends on the platform's byte order.
    /* v8 ignore next -- @preserve: the tests run on a little-endian machine */
    this.low = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
    this.high = 1 - this.low;
  }

  run(): Uint32Array | null {
    const { halves, low, pending } = this;
    const n = this.keys.length;
    for (let i = 0; i < n; i++) halves[2 * i + low] = i;
    // The first round also checks that every key is a string, before anything reads one.
    if (!this.round(0, n, 0, false, true)) return null;
    while (pending.length > 0) {
      const wide = pending.pop() === 1;
      const depth = pending.pop() as number;
      const end = pending.pop() as number;
      const start = pending.pop() as number;
      if (end - start <= SMALL) this.insertionSort(start, end);
      else this.round(start, end, depth, wide, false);
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = halves[2 * i + low] as number;
    return order;
  }

  /** Sorts positions `start` to `end` (excluded), whose keys agree before `from`, on the units from there. */
  private round(start: number, end: number, from: number, wide: boolean, first: boolean): boolean {
    const { halves, high } = this;
    // Skip the prefix a sample of the range shares. A key that parts earlier shows the guess
    // wrong: pack again from where that key parts, and if that fails too, skip nothing.
    let depth = first ? from : from + this.sharedGuess(start, end, from);
    const parted = this.fill(start, end, from, depth, wide);
    if (parted === NOT_A_STRING) return false;
    if (parted >= 0) {
      depth = parted;
      if (this.fill(start, end, from, depth, wide) !== SKIPPED) {
        depth = from;
        this.fill(start, end, from, depth, wide);
      }
    }
    const firstCodes = halves[2 * start + high] as number;
    let same = true;
    for (let position = start + 1; position < end && same; position++) {
      same = halves[2 * position + high] === firstCodes;
    }
    if (same) {
      // Nothing to sort.
    } else if (end - start >= COUNTING) this.countingSort(start, end);
    else this.words.subarray(start, end).sort();
    let run = start;
    while (run < end) {
      const codes = halves[2 * run + high] as number;
      let next = run + 1;
      while (next < end && halves[2 * next + high] === codes) next++;
      if (next - run > 1) this.settleTies(run, next, depth, wide, codes);
      run = next;
    }
    return true;
  }

  /**
   * Packs the codes from `depth` of the keys at positions `start` to `end`,
   * having checked that each agrees from `from` to `depth` with the first.
   * Returns {@link SKIPPED} when all did, else the depth where one parts from
   * the first, or {@link NOT_A_STRING}.
   */
  private fill(start: number, end: number, from: number, depth: number, wide: boolean): number {
    const { keys, halves, low, high } = this;
    let reference = "";
    for (let batch = start; batch < end; batch += BATCH) {
      const stop = Math.min(end, batch + BATCH);
      // Touch the batch's keys first, in a loop that does nothing else: the processor then
      // waits for their cache misses all at once rather than one key after the other.
      let touched = 0;
      for (let position = batch; position < stop; position++) {
        const key = keys[halves[2 * position + low] as number];
        if (typeof key !== "string") return NOT_A_STRING;
        touched |= key.charCodeAt(depth);
      }
      this.touched = touched;
      if (batch === start) reference = keys[halves[2 * start + low] as number] as string;
      for (let position = batch; position < stop; position++) {
        const key = keys[halves[2 * position + low] as number] as string;
        if (depth > from) {
          const agreed = agreement(key, reference, from, depth);
          if (agreed < depth) return agreed;
        }
        halves[2 * position + high] = wide ? wideCodes(key, depth) : narrowCodes(key, depth);
      }
    }
    return SKIPPED;
  }

  /** The length of the prefix, from `from`, that a sample of the range shares with the reference key. */
  private sharedGuess(start: number, end: number, from: number): number {
    const { keys, halves, low } = this;
    const reference = keys[halves[2 * start + low] as number] as string;
    const step = Math.max(1, Math.floor((end - start) / SAMPLE));
    let agreed = reference.length;
    for (let position = start + step; position < end && agreed > from; position += step) {
      agreed = agreement(
        keys[halves[2 * position + low] as number] as string,
        reference,
        from,
        agreed,
      );
    }
    return agreed - from;
  }

  /** Positions `start` to `end` tie on `codes` packed at `depth`: queues what tells them apart next. */
  private settleTies(
    start: number,
    end: number,
    depth: number,
    wide: boolean,
    codes: number,
  ): void {
    if (wide) {
      const first = codes >>> 16;
      const second = codes & 0xffff;
      // A code 0 after codes that tell units apart: the keys end together, so they are
      // equal, and already in input order.
      if (first === WIDE_AMBIGUOUS) this.comparisonSort(start, end);
      else if (first === 0) return;
      else if (second === WIDE_AMBIGUOUS) this.comparisonSort(start, end);
      else if (second !== 0)
        this.pending.push(start, end, depth + 2, second - 1 >= ESCAPE - 1 ? 1 : 0);
      return;
    }
    for (let k = 0; k < 4; k++) {
      const code = (codes >>> (24 - 8 * k)) & 0xff;
      if (code === 0) return;
      if (code === ESCAPE) {
        this.pending.push(start, end, depth + k, 1);
        return;
      }
    }
    this.pending.push(start, end, depth + 4, 0);
  }

  /**
   * Sorts positions `start` to `end` by their codes, a byte at a time from
   * the last (a least-significant-first radix sort): in linear time, where the
   * native sort of a large range costs n log n. Stable, and the range is in
   * index order, so words come out as the native sort orders them.
   */
  private countingSort(start: number, end: number): void {
    const { halves, low, high } = this;
    const counts = new Int32Array(4 * 256);
    for (let position = start; position < end; position++) {
      const codes = halves[2 * position + high] as number;
      for (let byte = 0; byte < 4; byte++) {
        const bucket = byte * 256 + ((codes >>> (8 * byte)) & 0xff);
        counts[bucket] = (counts[bucket] as number) + 1;
      }
    }
    this.scratch ??= new Uint32Array(halves.length);
    let from = halves;
    let to = this.scratch;
    for (let byte = 0; byte < 4; byte++) {
      const base = byte * 256;
      const codes = halves[2 * start + high] as number;
      // A byte that every key of the range shares orders nothing.
      if (counts[base + ((codes >>> (8 * byte)) & 0xff)] === end - start) continue;
      let next = start;
      for (let bucket = base; bucket < base + 256; bucket++) {
        const count = counts[bucket] as number;
        counts[bucket] = next;
        next += count;
      }
      for (let position = start; position < end; position++) {
        const wordCodes = from[2 * position + high] as number;
        const bucket = base + ((wordCodes >>> (8 * byte)) & 0xff);
        const target = counts[bucket] as number;
        counts[bucket] = target + 1;
        to[2 * target + high] = wordCodes;
        to[2 * target + low] = from[2 * position + low] as number;
      }
      [from, to] = [to, from];
    }
    if (from !== halves) halves.set(from.subarray(2 * start, 2 * end), 2 * start);
  }

  /** Sorts a few positions by comparing whole keys; stable, so equal keys keep their input order. */
  private insertionSort(start: number, end: number): void {
    const { keys, halves, low } = this;
    for (let i = start + 1; i < end; i++) {
      const index = halves[2 * i + low] as number;
      const key = keys[index] as string;
      let j = i - 1;
      while (j >= start && (keys[halves[2 * j + low] as number] as string) > key) {
        halves[2 * (j + 1) + low] = halves[2 * j + low] as number;
        j--;
      }
      halves[2 * (j + 1) + low] = index;
    }
  }

  /** Sorts positions by comparing whole keys, for ranges no word can tell apart. */
  private comparisonSort(start: number, end: number): void {
    const { keys, halves, low } = this;
    const indices: number[] = [];
    for (let i = start; i < end; i++) indices.push(halves[2 * i + low] as number);
    // Array.prototype.sort is stable: equal keys keep their input order.
    indices.sort((a, b) => {
      const left = keys[a] as string;
      const right = keys[b] as string;
      return left < right ? -1 : left > right ? 1 : 0;
    });
    for (let i = start; i < end; i++) halves[2 * i + low] = indices[i - start] as number;
  }
}

/** How far, from `from` and below `limit`, `key` agrees with `reference` unit by unit. */
function agreement(key: string, reference: string, from: number, limit: number): number {
  const stop = Math.min(limit, key.length);
  let depth = from;
  while (depth < stop && key.charCodeAt(depth) === reference.charCodeAt(depth)) depth++;
  return depth;
}

/** Four codes of a byte from `depth`: 0 past the end, `u + 1` for a unit below 0xfe, then 0xff for any other, which ends the packing. */
function narrowCodes(key: string, depth: number): number {
  let codes = 0;
  let shift = 24;
  for (let at = depth; at < depth + 4 && at < key.length; at++) {
    const unit = key.charCodeAt(at);
    if (unit >= ESCAPE - 1) return (codes | (ESCAPE << shift)) >>> 0;
    codes |= (unit + 1) << shift;
    shift -= 8;
  }
  return codes >>> 0;
}

/**
 * Two codes of 16 bits from `depth`: 0 past the end, `u + 1` for a unit `u`,
 * U+FFFE and U+FFFF sharing 0xffff, which ends the packing (what follows it
 * must not decide before the unit it hides).
 */
function wideCodes(key: string, depth: number): number {
  const first = depth < key.length ? Math.min(key.charCodeAt(depth) + 1, WIDE_AMBIGUOUS) : 0;
  const second =
    first !== 0 && first !== WIDE_AMBIGUOUS && depth + 1 < key.length
      ? Math.min(key.charCodeAt(depth + 1) + 1, WIDE_AMBIGUOUS)
      : 0;
  return ((first << 16) | second) >>> 0;
}
