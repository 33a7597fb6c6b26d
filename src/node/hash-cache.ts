import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { READ_FLAGS } from "./safe-root";

/**
 * The first bytes of a cache file, bumped whenever the layout changes: an
 * older file is then ignored, never misread. Version 1 was JSON; version 2 is
 * binary, which loads about ten times faster (no row arrays to build);
 * version 3 keeps the records in code-unit order of their paths, the order of
 * a walk, so a walk finds its files' records one after the other, with no map.
 */
const MAGIC = Buffer.from("cosmic-sync-hashes/3\n");

/**
 * A file changed within this many milliseconds of being read may change again
 * without its change time moving (file systems keep coarse clocks, and a write
 * in the same tick as the read leaves the same time): its hash is not kept.
 */
export const RACY_MS = 2000;

/** The stat fields a cached hash is tied to: any change in one of them means the file is read again. */
export interface StatKey {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

/** A hash learned this run, with the stats it is tied to. */
type Entry = readonly [
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  dev: number,
  hash: string,
];

/** The five numbers of a record, then its hash as 32 bytes. */
const NUMBERS = 5;
const HASH_BYTES = 32;
const RECORD_TAIL = NUMBERS * 8 + HASH_BYTES;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The folder where `cosmic-sync` keeps its hash caches: `$XDG_CACHE_HOME/cosmic-sync`
 * when that is an absolute path, else `~/.cache/cosmic-sync`.
 *
 * @internal
 */
export function defaultCacheFolder(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(
    xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"),
    "cosmic-sync",
  );
}

/**
 * Hashes of one tree's files from an earlier run, each tied to the file's
 * size, modification time, change time, inode and device: a hash is reused
 * only while all five are unchanged, and only for files that had not changed
 * for {@link RACY_MS} when they were read. The cache lives outside the mirrored
 * trees, one file per tree, named after the SHA-256 of the tree's real path.
 * A missing, truncated, corrupt (its SHA-256 trailer does not match), foreign
 * or older-format file is an empty cache; a file not owned by this user, or
 * writable by others, is not trusted either.
 *
 * The file is binary: the format line, the tree's real path, then per file its
 * path, the five numbers as doubles and the hash as 32 bytes, in code-unit
 * order of the paths, then the SHA-256 of all that. Loading only finds where
 * each record starts. A walk asks for its files in that same order, so each
 * lookup reads the next records until it meets its path or passes it; a
 * lookup out of order builds a map from path to record, once.
 *
 * @internal
 */
export class HashCache {
  /** Entries learned this run (files read), by path. */
  private readonly learned = new Map<string, Entry>();
  /** Which loaded records this run found still valid: only they, and what was learned, are written back. */
  private readonly seen: Uint8Array;
  private seenCount = 0;
  /** The next record a lookup in walking order reads, and the last path looked up. */
  private cursor = 0;
  private lastPath: string | undefined;
  /** Path to record number, built only for a lookup out of order. */
  private index: Map<string, number> | undefined;

  private constructor(
    private readonly file: string | undefined,
    private readonly root: string,
    private readonly loaded: Loaded,
  ) {
    this.seen = new Uint8Array(loaded.starts.length);
  }

  /** A cache that remembers nothing and writes nothing. */
  static none(): HashCache {
    return new HashCache(undefined, "", readRecords(Buffer.alloc(0), ""));
  }

  /** Loads the cache of the tree at `root` (a real path) from `folder`; never throws. */
  static load(folder: string, root: string): HashCache {
    const file = join(
      folder,
      `${createHash("sha256").update(root).digest("hex").slice(0, 32)}.bin`,
    );
    return new HashCache(file, root, readRecords(readTrusted(file), root));
  }

  /** Whether the loaded file held no entry: then no file needs a look before it is read. */
  get empty(): boolean {
    return this.loaded.starts.length === 0;
  }

  /** The cached hash of `path` if its stats are unchanged; undefined otherwise. */
  get(path: string, stats: StatKey): string | undefined {
    const record = this.find(path);
    if (record === undefined) return undefined;
    const { data, tails } = this.loaded;
    const at = tails[record] as number;
    if (
      data.readDoubleLE(at) !== stats.size ||
      data.readDoubleLE(at + 8) !== stats.mtimeMs ||
      data.readDoubleLE(at + 16) !== stats.ctimeMs ||
      data.readDoubleLE(at + 24) !== stats.ino ||
      data.readDoubleLE(at + 32) !== stats.dev
    ) {
      return undefined;
    }
    if (this.seen[record] === 0) {
      this.seen[record] = 1;
      this.seenCount += 1;
    }
    const hash = at + NUMBERS * 8;
    return data.toString("hex", hash, hash + HASH_BYTES);
  }

  /** The record of `path`: the next ones in order when lookups come in order, else through the map. */
  private find(path: string): number | undefined {
    const inOrder = this.lastPath === undefined || this.lastPath < path;
    this.lastPath = path;
    if (!inOrder || this.index !== undefined) {
      this.index ??= this.indexRecords();
      return this.index.get(path);
    }
    const { starts } = this.loaded;
    while (this.cursor < starts.length) {
      const found = this.pathOf(this.cursor);
      if (found === path) return this.cursor++;
      // Records are in order: one past `path` means it has none.
      if (found > path) return undefined;
      this.cursor += 1;
    }
    return undefined;
  }

  private pathOf(record: number): string {
    const { data, starts, tails } = this.loaded;
    return data.toString("utf8", (starts[record] as number) + 4, tails[record]);
  }

  private indexRecords(): Map<string, number> {
    const index = new Map<string, number>();
    for (let record = 0; record < this.loaded.starts.length; record++)
      index.set(this.pathOf(record), record);
    return index;
  }

  /** Remembers the hash of a file read at `readAt` (ms since the epoch), unless it changed too recently to be trusted. */
  set(path: string, stats: StatKey, hash: string, readAt: number): void {
    if (this.file === undefined) return;
    if (stats.ctimeMs >= readAt - RACY_MS || stats.mtimeMs >= readAt - RACY_MS) return;
    if (!HEX64.test(hash)) return;
    this.learned.set(path, [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, stats.dev, hash]);
  }

  /** Writes what this run saw (only that: entries of vanished files go), in path order, atomically; never throws. */
  save(): void {
    if (this.file === undefined) return;
    if (this.learned.size === 0 && this.seenCount === this.loaded.starts.length) return;
    const part = `${this.file}.${randomBytes(6).toString("hex")}.part`;
    try {
      mkdirSync(join(this.file, ".."), { recursive: true, mode: 0o700 });
      writeFileSync(part, this.encode(), { mode: 0o600, flag: "wx" });
      renameSync(part, this.file);
      // Older versions kept their file beside, under another name: nothing reads it now.
      rmSync(this.file.replace(/\.bin$/, ".json"), { force: true });
      /* v8 ignore next 4 -- @preserve: a read-only or full disk */
    } catch {
      // A cache is only a speed-up: a read-only or full disk must not fail the sync.
      rmSync(part, { force: true });
    }
  }

  private encode(): Buffer {
    const { data, starts, tails } = this.loaded;
    // The kept records and the learned entries, merged in code-unit order of their paths.
    const rows: (
      | readonly [path: string, record: number]
      | readonly [path: string, entry: Entry]
    )[] = [];
    for (let record = 0; record < starts.length; record++) {
      if (this.seen[record] === 0) continue;
      const path = this.pathOf(record);
      if (!this.learned.has(path)) rows.push([path, record]);
    }
    for (const [path, entry] of this.learned) rows.push([path, entry]);
    rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const root = Buffer.from(this.root);
    let length = MAGIC.length + 4 + root.length + HASH_BYTES;
    for (const [path, row] of rows) {
      length +=
        typeof row === "number"
          ? (tails[row] as number) + RECORD_TAIL - (starts[row] as number)
          : 4 + Buffer.byteLength(path) + RECORD_TAIL;
    }
    const out = Buffer.allocUnsafe(length);
    let at = MAGIC.copy(out, 0);
    at = out.writeUInt32LE(root.length, at);
    at += root.copy(out, at);
    for (const [path, row] of rows) {
      if (typeof row === "number") {
        at += data.copy(out, at, starts[row], (tails[row] as number) + RECORD_TAIL);
        continue;
      }
      const size = out.write(path, at + 4);
      out.writeUInt32LE(size, at);
      at += 4 + size;
      for (let i = 0; i < NUMBERS; i++) at = out.writeDoubleLE(row[i] as number, at);
      at += out.write(row[NUMBERS], at, "hex");
    }
    createHash("sha256").update(out.subarray(0, at)).digest().copy(out, at);
    return out;
  }
}

/** A cache file as loaded: where each record starts, and where its numbers start, after its path. */
interface Loaded {
  readonly data: Buffer;
  /** Where each record starts (its path's length). */
  readonly starts: number[];
  /** Where each record's numbers start, after its path. */
  readonly tails: number[];
}

/** The cache file's bytes, or none when it is missing, unreadable, or not this user's alone. */
function readTrusted(file: string): Buffer {
  try {
    const fd = openSync(file, READ_FLAGS);
    try {
      return trusted(fstatSync(fd)) ? readFileSync(fd) : Buffer.alloc(0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * The records of a cache file, or none at all when it is not a whole cache of
 * this tree in this format: a wrong format line, another root, a record
 * running past the end, or a SHA-256 trailer that does not match (a torn or
 * corrupted write).
 */
function readRecords(data: Buffer, root: string): Loaded {
  const none: Loaded = { data, starts: [], tails: [] };
  const end = data.length - HASH_BYTES;
  if (end < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return none;
  const trailer = createHash("sha256").update(data.subarray(0, end)).digest();
  if (!trailer.equals(data.subarray(end))) return none;
  let at = MAGIC.length;
  const rootLength = data.readUInt32LE(at);
  at += 4;
  if (at + rootLength > end || data.toString("utf8", at, at + rootLength) !== root) return none;
  at += rootLength;
  const starts: number[] = [];
  const tails: number[] = [];
  while (at < end) {
    if (at + 4 > end) return none;
    const tail = at + 4 + data.readUInt32LE(at);
    if (tail + RECORD_TAIL > end) return none;
    starts.push(at);
    tails.push(tail);
    at = tail + RECORD_TAIL;
  }
  return { data, starts, tails };
}

/** Only a file this user owns and nobody else can write may steer a sync. */
function trusted(stats: Stats): boolean {
  const uid = process.getuid?.();
  return stats.isFile() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}
