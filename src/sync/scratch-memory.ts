/**
 * The memory one plan borrows its typed arrays and its lists of strings from,
 * handed back phase by phase so that the next phase reuses it (the sort of
 * each tree, then the matching and its lists, then the ordering), and from
 * plan to plan.
 *
 * Why not `new Int32Array(n)` each time: V8 counts the bytes of every
 * `ArrayBuffer` it hands out, and when they pass 64 MB more than after its
 * last full collection it collects the caller's whole heap, however little
 * of it is garbage. A plan of a million paths needs about 50 MB of typed
 * arrays; allocated afresh, they set off a full collection every plan or
 * two, which costs more than ordering the plan (about a fifth of a second
 * over a 300 MB heap). Carved from chunks that later phases reuse, they take
 * about 35 MB, which V8 counts once, however many plans follow, as long as
 * the chunks live. Lists of a tree's paths and hashes (8 MB each at a
 * million paths) are reused likewise: allocated afresh, they fill V8's young
 * generation and make it copy what is live in it.
 *
 * Between plans, the memory is held by a `WeakRef` only: the collector may
 * reclaim it whenever it collects, and the next plan then makes new memory.
 * Nothing a plan returns points into it, and its lists are cleared when it is
 * handed back.
 *
 * Arrays come zeroed, as from their constructors, unless the borrower says it
 * fills them itself, and 8-byte aligned.
 *
 * @internal
 */
export class ScratchMemory {
  /**
   * The memory the last plan handed back, while the collector has not
   * reclaimed it, or else new memory. It is the caller's alone until it hands
   * it back: a plan started meanwhile (from a getter of its input) gets other memory.
   */
  static lend(): ScratchMemory {
    const memory = spare?.deref() ?? new ScratchMemory();
    spare = undefined;
    return memory;
  }

  /** Hands every array back, and the memory to the next plan; none of its arrays may be used again. */
  giveBack(): void {
    this.release({ chunk: 0, offset: 0, lists: 0 });
    this.lists.forEach((list, index) => {
      list.fill(undefined, 0, this.listUse[index]);
    });
    this.listUse.length = 0;
    spare = new WeakRef(this);
  }

  private readonly chunks: ArrayBuffer[] = [];
  private chunk = 0;
  private offset = 0;
  private readonly lists: unknown[][] = [];
  /** By list: how many of its items a plan may have set, to clear when the memory is handed back. */
  private readonly listUse: number[] = [];
  private listsLent = 0;

  /** Where the next array starts: {@link ScratchMemory.release} with it hands back every array and list borrowed since. */
  mark(): Mark {
    return { chunk: this.chunk, offset: this.offset, lists: this.listsLent };
  }

  /** Hands back every array and list borrowed since `mark`: they must not be used again. */
  release(mark: Mark): void {
    this.chunk = mark.chunk;
    this.offset = mark.offset;
    this.listsLent = mark.lists;
  }

  /**
   * A plain array with room for `length` items, for strings the plan lists
   * for a while: what it holds past the items the borrower sets is left over
   * from other borrowers. A list grows and never shrinks (V8 trims a large
   * array whose length drops, and would allocate it again for a larger plan),
   * and is cleared when the memory is handed back, so that it keeps no
   * caller's string alive.
   */
  list(length: number): unknown[] {
    const index = this.listsLent++;
    const list = this.lists[index] ?? [];
    this.lists[index] = list;
    if (list.length < length) list.length = length;
    this.listUse[index] = Math.max(this.listUse[index] ?? 0, length);
    return list;
  }

  /**
   * An array of `length` items of `Type`, borrowed until a
   * {@link ScratchMemory.release} to a mark taken before: zeroed, unless
   * `zeroed` is false for an array its borrower fills before it reads it.
   */
  borrow<T>(Type: TypedArrayType<T>, length: number, zeroed = true): T {
    const bytes = length * Type.BYTES_PER_ELEMENT;
    const start = this.take(bytes);
    const buffer = this.chunks[this.chunk] as ArrayBuffer;
    // Zeroed whether the memory is new or lent before: a plan's arrays take a
    // few milliseconds to zero at a million paths, a tenth of sorting them.
    if (zeroed) new Uint8Array(buffer, start, bytes).fill(0);
    return new Type(buffer, start, length);
  }

  /**
   * Takes a range of `bytes` in the current chunk if it fits, else in
   * the first later one that can hold it, else in a new one; returns where it
   * starts in the chunk it leaves current.
   */
  private take(bytes: number): number {
    // Rounded up to 8 bytes, so that every array starts aligned.
    const size = Math.ceil(bytes / 8) * 8;
    for (;;) {
      const buffer = this.chunks[this.chunk];
      if (buffer === undefined || (this.offset === 0 && size > buffer.byteLength)) {
        // A new chunk of just this size, in place of one too small that nothing uses:
        // later phases fill it with smaller arrays, and a larger plan grows it.
        this.chunks[this.chunk] = new ArrayBuffer(size);
      } else if (this.offset + size > buffer.byteLength) {
        this.chunk += 1;
        this.offset = 0;
        continue;
      }
      const start = this.offset;
      this.offset = start + size;
      return start;
    }
  }
}

let spare: WeakRef<ScratchMemory> | undefined;

/** Where a phase's borrowing starts: see {@link ScratchMemory.mark}. */
interface Mark {
  readonly chunk: number;
  readonly offset: number;
  readonly lists: number;
}

/** A typed array's constructor: `Int32Array`, `Uint8Array`… */
interface TypedArrayType<T> {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
}
