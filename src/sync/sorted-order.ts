import { ScratchMemory } from "./scratch-memory";

// Literals, not expressions: bundlers keep computed top-level constants even when unused.
/** Ranges this small are finished by a comparison sort: their keys, once touched, sit in the cache. */
const SMALL = 32;
/** Keys sampled to guess the prefix a range shares. */
const SAMPLE = 16;
/** The code of a unit that a narrow round cannot hold: the range goes on in a wide round there. */
const ESCAPE = 255;
/** The wide code shared by U+FFFE and U+FFFF: a range holding it is finished by a comparison sort. */
const AMBIGUOUS = 65535;
/** Ranges this large are sorted by counting, smaller ones natively. */
const COUNTING = 2048;
/** Keys touched together, before their codes are packed. */
const BATCH = 32;
/** Where the touching loops leave what they read: a store the engine cannot drop, so neither the reads. */
// Stryker disable next-line ObjectLiteral: the sink only keeps the engine from dropping the touching reads; what it holds is never read
const touchedSink = { codes: 0 };

/**
 * Returns the indices of `keys` in code-unit order of the keys (the order of
 * `<` on strings), equal keys in their input order; undefined when the keys
 * are in that order already, which one pass confirms (a tree listed by a
 * sorted walk, as `hashTree` gives, needs no sort); null, having converted
 * nothing, when a key is not a string.
 *
 * A million shuffled keys lie all over memory, and each time a sort touches
 * one it waits for a chain of cache misses: a comparison sort touches each key
 * about twenty times. This one is a most-significant-first radix sort in
 * rounds. A round touches every key of a range once, packs its next four code
 * units (a byte each) with its index into one 64-bit word, and sorts the
 * words: natively (`BigUint64Array.prototype.sort`, no callback), or by
 * counting when the range is large. Keys whose words tie go on together in a
 * next round. Before a round, the prefix that every key of the range shares
 * (paths share long folder prefixes) is guessed from a sample and skipped,
 * and checked on each key as it is touched. So a key is touched about once
 * per level at which the names of its folder differ. Keys are touched in
 * batches, first by loops that only read them, one step of every key of the
 * batch per loop (its place in the list, its header, its characters), so
 * that their cache misses overlap instead of following one another.
 *
 * A narrow round codes a unit `u` below 0xfe as `u + 1`, the end of the key as
 * 0, and any larger unit as 0xff, an escape that stops the packing: keys that
 * tie there go on in a wide round, two units of 16 bits each. Every code
 * keeps the order of what it codes, so words order keys as `<` does, up to
 * the ties that the next round settles.
 *
 * Sorts the first `count` keys. The order and the sort's own arrays are
 * borrowed from `memory`: the order lasts until the caller hands it back.
 *
 * @internal
 */
export function sortedOrder(
  keys: readonly unknown[],
  memory: ScratchMemory = new ScratchMemory(),
  count: number = keys.length,
): Uint32Array | undefined | null {
  // Stryker disable next-line StringLiteral: the first key is never compared with this value (the loop compares from the second key on)
  let previous = "";
  for (let i = 0; i < count; i++) {
    const key = keys[i];
    if (typeof key !== "string") return null;
    if (i > 0 && !(previous < key)) return radixSort(keys, memory, count);
    previous = key;
  }
  return undefined;
}

function radixSort(
  input: readonly unknown[],
  memory: ScratchMemory,
  n: number,
): Uint32Array | null {
  const keys = input as readonly string[];
  // Every word is written before it is read: the first round packs every key.
  const words = memory.borrow(BigUint64Array, n, false);
  // Each word as two 32-bit halves: the low one holds the key's index, the high one its codes.
  const halves = new Uint32Array(words.buffer, words.byteOffset, 2 * n);
  // Which half is the low one depends on the platform's byte order.
  /* v8 ignore next -- @preserve: the tests run on a little-endian machine */
  const low = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
  // Stryker disable next-line ArithmeticOperator: the tests' machines and every platform Node ships for are little-endian, where `low` is 0, so `1 - low` and `1 + low` are both 1
  const high = 1 - low;
  /** Ranges still to sort, four numbers each: start, end, depth, and 1 for a wide round. */
  const pending: number[] = [];
  let scratch: Uint32Array | undefined;
  /** The counting sort's table, borrowed once and zeroed for each range. */
  let counts: Int32Array | undefined;
  /** The keys of the batch being touched. */
  const staged: unknown[] = [];

  const keyAt = (position: number): string => keys[halves[2 * position + low] as number] as string;

  /**
   * Packs the codes from `depth` of the keys at positions `start` to `end`,
   * having checked that each agrees with the first from `from` to `depth`.
   * Returns -1 when all did, the depth where one parts from the first when
   * one does not, or -2 when a key is not a string.
   */
  const fill = (start: number, end: number, from: number, depth: number, wide: boolean): number => {
    // Stryker disable next-line StringLiteral: overwritten on the first batch, before any read
    let reference = "";
    for (let batch = start; batch < end; batch += BATCH) {
      const stop = Math.min(end, batch + BATCH);
      // Three loops, each of reads independent of one another, so that the
      // cache misses of a batch overlap: the keys' places in the list, their
      // headers (a concatenated key's header points to its characters), then
      // the characters.
      for (let position = batch; position < stop; position++) {
        staged[position - batch] = keys[halves[2 * position + low] as number];
      }
      for (let k = 0; k < stop - batch; k++) {
        if (typeof staged[k] !== "string") return -2;
      }
      let touched = 0;
      for (let k = 0; k < stop - batch; k++) {
        // Stryker disable next-line AssignmentOperator: the touching loop only brings keys into the cache; what it combines is never used
        touched |= (staged[k] as string).charCodeAt(depth);
      }
      touchedSink.codes = touched;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a reference of any other key, or none, makes `agreement` report a parting, and `round` then packs again from `from`: the same order, more slowly
      if (batch === start) reference = keyAt(start);
      for (let position = batch; position < stop; position++) {
        const key = keyAt(position);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the `true` and `>=` variants survive, equivalent: at `depth === from` the agreement is `from`, which is not below `depth`: the check is the same
        if (depth > from) {
          const agreed = agreement(key, reference, from, depth);
          // Stryker disable next-line ConditionalExpression,EqualityOperator: the `true`, `<=` and `>=` variants survive, equivalent: reporting a parting where there is none only makes `round` pack again from a shallower depth: the same order, more slowly
          if (agreed < depth) return agreed;
        }
        halves[2 * position + high] = wide ? wideCodes(key, depth) : narrowCodes(key, depth);
      }
    }
    // Stryker disable next-line UnaryOperator: a reported parting at depth 1 makes `round` pack again, then from `from`: the same order, more slowly
    return -1;
  };

  /**
   * Sorts positions `start` to `end` (excluded), whose keys agree before
   * `from`, on the units from there. Returns false when a key is not a string.
   */
  const round = (start: number, end: number, from: number, wide: boolean): boolean => {
    // Skip the prefix a sample of the range shares (the first round too: the
    // paths of a tree often share their first folder, and a round that packs
    // what every key shares is a pass over a million keys for nothing). A key
    // that parts earlier shows the guess wrong: pack again from where that key
    // parts, and if that fails too, skip nothing.
    // A string: the first round's is the first key, which `sortedOrder` checked.
    const reference = keyAt(start);
    // The sampled prefix is a guess that `fill` checks on every key and
    // `round` packs again without: sampling more, less or not at all changes
    // only the time, so the mutants of the guess below survive, equivalent.
    // Stryker disable next-line all: see above
    let depth = reference.length;
    // Stryker disable next-line all: see above
    const step = Math.max(1, Math.floor((end - start) / SAMPLE));
    // Stryker disable next-line all: see above
    for (let position = start + step; position < end && depth > from; position += step) {
      const key = keyAt(position);
      // The first round samples keys before `fill` has checked them.
      if (typeof key !== "string") return false;
      // Stryker disable next-line all: see above
      depth = agreement(key, reference, from, depth);
    }
    const parted = fill(start, end, from, depth, wide);
    if (parted === -2) return false;
    if (parted >= 0) {
      depth = parted;
      // Stryker disable next-line ConditionalExpression: the `true` variant survives, equivalent: packing from `from` is always right; the second try only saves time
      if (fill(start, end, from, depth, wide) !== -1) {
        depth = from;
        fill(start, end, from, depth, wide);
      }
    }
    // Stryker disable all: when every key of a range has the same codes, sorting them changes nothing: deciding that wrongly either way only costs a sort
    const firstCodes = halves[2 * start + high] as number;
    let same = true;
    for (let position = start + 1; position < end && same; position++) {
      same = halves[2 * position + high] === firstCodes;
    }
    // Stryker restore all
    // A range whose keys all have the same codes has nothing to sort.
    if (!same) {
      // Stryker disable next-line ArithmeticOperator,ConditionalExpression,EqualityOperator: counting and the native sort order a range alike (stably, and the range is in index order): the size only picks the faster
      if (end - start >= COUNTING) countingSort(start, end);
      else words.subarray(start, end).sort();
    }
    let run = start;
    // Stryker disable next-line EqualityOperator: the `<=` variant survives, equivalent: one step past the range reads a tie-run of one, which settles nothing
    while (run < end) {
      const codes = halves[2 * run + high] as number;
      let next = run + 1;
      while (next < end && halves[2 * next + high] === codes) next++;
      // Stryker disable next-line ArithmeticOperator,ConditionalExpression,EqualityOperator: the `true`, `>=` and `+` variants survive, equivalent: a run of one key queued again is sorted alone, which changes nothing
      if (next - run > 1) settleTies(run, next, depth, wide, codes);
      run = next;
    }
    return true;
  };

  /** Positions `start` to `end` tie on `codes` packed at `depth`: queues what tells them apart next. */
  const settleTies = (
    start: number,
    end: number,
    depth: number,
    wide: boolean,
    codes: number,
  ): void => {
    if (wide) {
      const first = codes >>> 16;
      const second = codes & 0xffff;
      // A code 0 after codes that tell units apart: the keys end together, so they are
      // equal, and already in input order.
      if (first === AMBIGUOUS || second === AMBIGUOUS) comparisonSort(start, end);
      else if (first !== 0 && second !== 0) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a narrow round escapes to a wide one at any unit it cannot hold: either kind of next round orders the same
        pending.push(start, end, depth + 2, second > ESCAPE - 1 ? 1 : 0);
      }
      return;
    }
    // Stryker disable next-line EqualityOperator: the `<=` variant survives, equivalent: a fifth step reads the first code again, which the first step already found neither 0 nor the escape
    for (let k = 0; k < 4; k++) {
      const code = (codes >>> (24 - 8 * k)) & 0xff;
      if (code === 0) return;
      // Stryker disable next-line ConditionalExpression: the `true` variant survives, equivalent: going on in a wide round from any code orders the same as a narrow one, more slowly
      if (code === ESCAPE) {
        pending.push(start, end, depth + k, 1);
        return;
      }
    }
    pending.push(start, end, depth + 4, 0);
  };

  /**
   * Sorts positions `start` to `end` by their codes, a byte at a time from
   * the last (a least-significant-first radix sort): in linear time, where the
   * native sort of a large range costs n log n. Stable, and the range is in
   * index order, so words come out as the native sort orders them.
   */
  const countingSort = (start: number, end: number): void => {
    // Borrowed, not allocated per range: a fresh 4 KB buffer is an `ArrayBuffer`
    // that V8 counts towards its next full collection (see ScratchMemory).
    counts ??= memory.borrow(Int32Array, 4 * 256, false);
    counts.fill(0);
    for (let position = start; position < end; position++) {
      const codes = halves[2 * position + high] as number;
      // Stryker disable next-line EqualityOperator: the `<=` variant survives, equivalent: a fifth byte's counts fall past the end of the table, where a typed array drops the write
      for (let byte = 0; byte < 4; byte++) {
        const bucket = byte * 256 + ((codes >>> (8 * byte)) & 0xff);
        counts[bucket] = (counts[bucket] as number) + 1;
      }
    }
    scratch ??= memory.borrow(Uint32Array, halves.length, false);
    let from: Uint32Array = halves;
    let to: Uint32Array = scratch;
    for (let byte = 0; byte < 4; byte++) {
      const base = byte * 256;
      // Stryker disable next-line ArithmeticOperator: a pass is skipped only when every key falls in that bucket, which then holds them all whatever byte it names
      const shared = base + (((halves[2 * start + high] as number) >>> (8 * byte)) & 0xff);
      // A byte that every key of the range shares orders nothing.
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: the `false` and `end + start` variants survive, equivalent: the skipped pass would keep every key where it is
      if (counts[shared] === end - start) continue;
      let next = start;
      for (let bucket = base; bucket < base + 256; bucket++) {
        const count = counts[bucket] as number;
        counts[bucket] = next;
        next += count;
      }
      for (let position = start; position < end; position++) {
        const codes = from[2 * position + high] as number;
        const bucket = base + ((codes >>> (8 * byte)) & 0xff);
        const target = counts[bucket] as number;
        counts[bucket] = target + 1;
        to[2 * target + high] = codes;
        // Stryker disable next-line ArithmeticOperator: the tests' machines and every platform Node ships for are little-endian, where `low` is 0, so `+ low` and `- low` are the same
        to[2 * target + low] = from[2 * position + low] as number;
      }
      [from, to] = [to, from];
    }
    // Stryker disable next-line ConditionalExpression: the `true` variant survives, equivalent: copying the range onto itself changes nothing
    if (from !== halves) halves.set(from.subarray(2 * start, 2 * end), 2 * start);
  };

  /** Sorts positions by comparing whole keys; stable, so equal keys keep their input order. */
  const comparisonSort = (start: number, end: number): void => {
    const indices: number[] = [];
    for (let i = start; i < end; i++) indices.push(halves[2 * i + low] as number);
    indices.sort((a, b) => {
      const left = keys[a] as string;
      const right = keys[b] as string;
      return left < right ? -1 : left > right ? 1 : 0;
    });
    // Stryker disable next-line ArithmeticOperator: the tests' machines and every platform Node ships for are little-endian, where `low` is 0, so `+ low` and `- low` are the same
    for (let i = start; i < end; i++) halves[2 * i + low] = indices[i - start] as number;
  };

  // Stryker disable next-line EqualityOperator,ArithmeticOperator: the `<=` variant survives, equivalent: one write past the end of a typed array is dropped; the tests' machines and every platform Node ships for are little-endian, where `low` is 0
  for (let i = 0; i < n; i++) halves[2 * i + low] = i;
  // Stryker disable next-line BooleanLiteral: the first round may be wide (it orders the same)
  if (!round(0, n, 0, false)) return null;
  while (pending.length > 0) {
    const wide = pending.pop() === 1;
    const depth = pending.pop() as number;
    const end = pending.pop() as number;
    const start = pending.pop() as number;
    // Stryker disable next-line ArithmeticOperator,ConditionalExpression,EqualityOperator: a comparison sort and a round order a range alike: the size only picks the faster
    if (end - start <= SMALL) comparisonSort(start, end);
    else round(start, end, depth, wide);
  }
  // The order overwrites the words' first half in place: index i is written
  // after index 2i + low, its last read, so nothing is overwritten unread, and
  // a million keys allocate no other 4 MB.
  const order = new Uint32Array(words.buffer, words.byteOffset, n);
  // Stryker disable next-line EqualityOperator: the `<=` variant survives, equivalent: one write past the end of a typed array is dropped
  for (let i = 0; i < n; i++) order[i] = halves[2 * i + low] as number;
  return order;
}

/** How far, from `from` and below `limit`, `key` agrees with `reference` unit by unit. */
function agreement(key: string, reference: string, from: number, limit: number): number {
  // Stryker disable next-line MethodExpression: comparing past the limit only reports agreement beyond it, which no caller reads as a parting
  const stop = Math.min(limit, key.length);
  let depth = from;
  while (depth < stop && key.charCodeAt(depth) === reference.charCodeAt(depth)) depth++;
  return depth;
}

/** Four codes of a byte from `depth`: 0 past the end, `u + 1` for a unit below 0xfe, then 0xff for any other, which ends the packing. */
function narrowCodes(key: string, depth: number): number {
  let codes = 0;
  let shift = 24;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the `true` and `<=` variants survive, equivalent: past the end, `charCodeAt` gives NaN, which packs as 0, the code of the end
  for (let at = depth; at < depth + 4 && at < key.length; at++) {
    const unit = key.charCodeAt(at);
    // Stryker disable next-line ConditionalExpression: the `true` variant survives, equivalent: escaping every unit sends the range to a wide round, which orders the same
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
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the `true` and `<=` variants survive, equivalent: past the end, `charCodeAt` gives NaN, which packs as 0, the code of the end
  const first = depth < key.length ? Math.min(key.charCodeAt(depth) + 1, AMBIGUOUS) : 0;
  const second =
    first !== 0 && first !== AMBIGUOUS && depth + 1 < key.length
      ? Math.min(key.charCodeAt(depth + 1) + 1, AMBIGUOUS)
      : 0;
  return ((first << 16) | second) >>> 0;
}
