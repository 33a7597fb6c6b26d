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

/** Bumped whenever the layout changes: an older file is then ignored, never misread. */
const FORMAT = "cosmic-sync-hashes/1";

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

type Entry = readonly [
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  dev: number,
  hash: string,
];

/** An entry as read from the file, not yet checked: `[path, size, mtimeMs, ctimeMs, ino, dev, hash]`. */
type Row = readonly unknown[];

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
 * A missing, corrupt, foreign or older-format file is an empty cache; a file
 * not owned by this user, or writable by others, is not trusted either.
 *
 * @internal
 */
export class HashCache {
  private readonly fresh = new Map<string, Entry>();
  /** Whether this run learned a hash the file does not hold: when not, and no entry went stale, the file is not rewritten. */
  private learned = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly root: string,
    private readonly old: ReadonlyMap<string, Row>,
  ) {}

  /** A cache that remembers nothing and writes nothing. */
  static none(): HashCache {
    return new HashCache(undefined, "", new Map());
  }

  /** Loads the cache of the tree at `root` (a real path) from `folder`; never throws. */
  static load(folder: string, root: string): HashCache {
    const file = join(
      folder,
      `${createHash("sha256").update(root).digest("hex").slice(0, 32)}.json`,
    );
    return new HashCache(file, root, readEntries(file, root));
  }

  /** The cached hash of `path` if its entry is well formed and its stats are unchanged; undefined otherwise. */
  get(path: string, stats: StatKey): string | undefined {
    const row = this.old.get(path);
    // Rows are checked here, one per file looked up, rather than all on load.
    if (
      row === undefined ||
      row[1] !== stats.size ||
      row[2] !== stats.mtimeMs ||
      row[3] !== stats.ctimeMs ||
      row[4] !== stats.ino ||
      row[5] !== stats.dev
    ) {
      return undefined;
    }
    const hash = row[6];
    if (typeof hash !== "string" || !HEX64.test(hash)) return undefined;
    const entry: Entry = [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, stats.dev, hash];
    this.fresh.set(path, entry);
    return hash;
  }

  /** Remembers the hash of a file read at `readAt` (ms since the epoch), unless it changed too recently to be trusted. */
  set(path: string, stats: StatKey, hash: string, readAt: number): void {
    if (stats.ctimeMs >= readAt - RACY_MS || stats.mtimeMs >= readAt - RACY_MS) return;
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
      const entries = [...this.fresh].map(([path, entry]) => [path, ...entry]);
      writeFileSync(part, JSON.stringify({ format: FORMAT, root: this.root, entries }), {
        mode: 0o600,
        flag: "wx",
      });
      renameSync(part, this.file);
      /* v8 ignore next 4 -- @preserve: a read-only or full disk */
    } catch {
      // A cache is only a speed-up: a read-only or full disk must not fail the sync.
      rmSync(part, { force: true });
    }
  }
}

function readEntries(file: string, root: string): Map<string, Row> {
  const entries = new Map<string, Row>();
  let text: string;
  try {
    const fd = openSync(file, READ_FLAGS);
    try {
      if (!trusted(fstatSync(fd))) return entries;
      text = readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return entries;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return entries;
  }
  const { format, root: cachedRoot, entries: rows } = (parsed ?? {}) as Record<string, unknown>;
  if (format !== FORMAT || cachedRoot !== root || !Array.isArray(rows)) return entries;
  for (const row of rows as unknown[]) {
    // A row's numbers and hash are compared, and the hash checked, when it is looked up.
    if (Array.isArray(row) && row.length === 7 && typeof row[0] === "string") {
      entries.set(row[0], row);
    }
  }
  return entries;
}

/** Only a file this user owns and nobody else can write may steer a sync. */
function trusted(stats: Stats): boolean {
  const uid = process.getuid?.();
  return stats.isFile() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}
