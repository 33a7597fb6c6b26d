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
 * binary, which loads about ten times faster (no row arrays to build).
 */
const MAGIC = Buffer.from("cosmic-sync-hashes/2\n");

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
 * path, the five numbers as doubles and the hash as 32 bytes, then the SHA-256
 * of all that. Loading builds one map from path to record offset; a record's
 * numbers and hash are read only when its file is looked up.
 *
 * @internal
 */
export class HashCache {
  /** What this run saw: an offset into the loaded file for an entry still valid, or an entry learned now. */
  private readonly fresh = new Map<string, number | Entry>();
  /** Whether this run learned a hash the file does not hold: when not, and no entry went stale, the file is not rewritten. */
  private learned = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly root: string,
    private readonly data: Buffer,
    private readonly old: ReadonlyMap<string, number>,
  ) {}

  /** A cache that remembers nothing and writes nothing. */
  static none(): HashCache {
    return new HashCache(undefined, "", Buffer.alloc(0), new Map());
  }

  /** Loads the cache of the tree at `root` (a real path) from `folder`; never throws. */
  static load(folder: string, root: string): HashCache {
    const file = join(
      folder,
      `${createHash("sha256").update(root).digest("hex").slice(0, 32)}.bin`,
    );
    const data = readTrusted(file);
    return new HashCache(file, root, data, readOffsets(data, root));
  }

  /** Whether the loaded file held no entry: then no file needs a look before it is read. */
  get empty(): boolean {
    return this.old.size === 0;
  }

  /** The cached hash of `path` if its stats are unchanged; undefined otherwise. */
  get(path: string, stats: StatKey): string | undefined {
    const at = this.old.get(path);
    const data = this.data;
    if (
      at === undefined ||
      data.readDoubleLE(at) !== stats.size ||
      data.readDoubleLE(at + 8) !== stats.mtimeMs ||
      data.readDoubleLE(at + 16) !== stats.ctimeMs ||
      data.readDoubleLE(at + 24) !== stats.ino ||
      data.readDoubleLE(at + 32) !== stats.dev
    ) {
      return undefined;
    }
    this.fresh.set(path, at);
    return data.toString("hex", at + NUMBERS * 8, at + RECORD_TAIL);
  }

  /** Remembers the hash of a file read at `readAt` (ms since the epoch), unless it changed too recently to be trusted. */
  set(path: string, stats: StatKey, hash: string, readAt: number): void {
    if (stats.ctimeMs >= readAt - RACY_MS || stats.mtimeMs >= readAt - RACY_MS) return;
    if (!HEX64.test(hash)) return;
    this.learned = true;
    this.fresh.set(path, [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, stats.dev, hash]);
  }

  /** Writes what this run saw (only that: entries of vanished files go), atomically; never throws. */
  save(): void {
    if (this.file === undefined) return;
    if (!this.learned && this.fresh.size === this.old.size) return;
    const part = `${this.file}.${randomBytes(6).toString("hex")}.part`;
    try {
      mkdirSync(join(this.file, ".."), { recursive: true, mode: 0o700 });
      writeFileSync(part, this.encode(), { mode: 0o600, flag: "wx" });
      renameSync(part, this.file);
      // Version 1 kept its JSON beside, under another name: nothing reads it now.
      rmSync(this.file.replace(/\.bin$/, ".json"), { force: true });
      /* v8 ignore next 4 -- @preserve: a read-only or full disk */
    } catch {
      // A cache is only a speed-up: a read-only or full disk must not fail the sync.
      rmSync(part, { force: true });
    }
  }

  private encode(): Buffer {
    const root = Buffer.from(this.root);
    let length = MAGIC.length + 4 + root.length + HASH_BYTES;
    for (const path of this.fresh.keys()) length += 4 + Buffer.byteLength(path) + RECORD_TAIL;
    const out = Buffer.allocUnsafe(length);
    let at = MAGIC.copy(out, 0);
    at = out.writeUInt32LE(root.length, at);
    at += root.copy(out, at);
    for (const [path, entry] of this.fresh) {
      const size = out.write(path, at + 4);
      out.writeUInt32LE(size, at);
      at += 4 + size;
      if (typeof entry === "number") {
        at += this.data.copy(out, at, entry, entry + RECORD_TAIL);
        continue;
      }
      for (let i = 0; i < NUMBERS; i++) at = out.writeDoubleLE(entry[i] as number, at);
      at += out.write(entry[NUMBERS], at, "hex");
    }
    createHash("sha256").update(out.subarray(0, at)).digest().copy(out, at);
    return out;
  }
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
 * Each path's record offset (where its numbers start), or none at all when the
 * file is not a whole cache of this tree in this format: a wrong format line,
 * another root, a record running past the end, or a SHA-256 trailer that does
 * not match (a torn or corrupted write).
 */
function readOffsets(data: Buffer, root: string): Map<string, number> {
  const offsets = new Map<string, number>();
  const end = data.length - HASH_BYTES;
  if (end < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return offsets;
  const trailer = createHash("sha256").update(data.subarray(0, end)).digest();
  if (!trailer.equals(data.subarray(end))) return offsets;
  let at = MAGIC.length;
  const rootLength = data.readUInt32LE(at);
  at += 4;
  if (at + rootLength > end || data.toString("utf8", at, at + rootLength) !== root) return offsets;
  at += rootLength;
  while (at < end) {
    if (at + 4 > end) return new Map();
    const pathLength = data.readUInt32LE(at);
    const tail = at + 4 + pathLength;
    if (tail + RECORD_TAIL > end) return new Map();
    offsets.set(data.toString("utf8", at + 4, tail), tail);
    at = tail + RECORD_TAIL;
  }
  return offsets;
}

/** Only a file this user owns and nobody else can write may steer a sync. */
function trusted(stats: Stats): boolean {
  const uid = process.getuid?.();
  return stats.isFile() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}
