import { isUtf8 } from "node:buffer";
import {
  closeSync,
  type Dirent,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  realpathSync,
  type Stats,
} from "node:fs";
import type { PathFilter } from "cosmic-allocation/sync";
import type { AbortSignalLike } from "./abort-signal-like";
import { HashCache } from "./hash-cache";
import { Breather, CHUNK, digestFd, isCode } from "./hash-file";
import { READ_FLAGS, SafeRoot } from "./safe-root";
import { assertFolderPath, option, readShellOptions } from "./shell-options";

/**
 * An entry of a tree that {@link hashTree} did not hash, and why.
 *
 * @example
 * ```ts
 * import { hashTree, type SkippedEntry } from "cosmic-allocation/node";
 *
 * const { skipped } = await hashTree("./photos");
 * const links: SkippedEntry[] = skipped.filter((entry) => entry.kind === "symlink");
 * for (const link of links) console.warn(`not followed: ${link.path}`);
 * ```
 */
export interface SkippedEntry {
  /**
   * Its relative POSIX path. For a `"non-utf8"` name, the bytes that are not
   * printable ASCII (and backslashes) are written `\xNN`, so the path is for
   * reading, not for opening; two different names never print the same.
   */
  readonly path: string;
  /**
   * - `"symlink"`: a symbolic link, never followed;
   * - `"special"`: a socket, a device, a pipe;
   * - `"unsafe-name"`: a name holding a backslash, which the sync rules refuse;
   * - `"non-utf8"`: a name (of a file or a folder) that is not valid UTF-8;
   * - `"unreadable"`: a file or folder that could not be read (`reason` says why).
   */
  readonly kind: "symlink" | "special" | "unsafe-name" | "non-utf8" | "unreadable";
  /** For `"unreadable"`: the error code, such as `"EACCES"`. */
  readonly reason?: string;
}

/**
 * What a sync keeps of a file besides its content, and what ties a cached hash to it.
 *
 * @example
 * ```ts
 * import { hashTree, type FileStat } from "cosmic-allocation/node";
 *
 * const { stats } = await hashTree("./scripts");
 * const runnable = [...stats].filter(([, stat]: [string, FileStat]) => (stat.mode & 0o111) !== 0);
 * console.log(runnable.map(([path]) => path));
 * ```
 */
export interface FileStat {
  /** Size in bytes. */
  readonly size: number;
  /** Permission bits (`0o755`), without the file type. */
  readonly mode: number;
  /** Modification time, in milliseconds since the epoch (with a fraction). */
  readonly mtimeMs: number;
  /** Change time of the inode, which no one can set back. */
  readonly ctimeMs: number;
  /** Inode number. */
  readonly ino: number;
  /** Device number. */
  readonly dev: number;
}

/**
 * A tree as {@link hashTree} read it.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation/sync";
 * import { hashTree, type HashedTree } from "cosmic-allocation/node";
 *
 * const photos: HashedTree = await hashTree("./photos");
 * const backup: HashedTree = await hashTree("/backup/photos");
 * const plan = determineActions(photos.files, backup.files);
 * process.stdout.write(`${photos.files.size} files (${photos.bytes} bytes), ${plan.length} actions to mirror them\n`);
 * ```
 */
export interface HashedTree {
  /** Each regular file's relative POSIX path to the SHA-256 of its content in lowercase hex, in code-unit order of the paths. */
  readonly files: Map<string, string>;
  /** Each regular file's size in bytes, by the same paths, in the same order (in a tree from {@link hashTree}, the map is made when first read). */
  readonly sizes: Map<string, number>;
  /** Each regular file's stats as they were when its hash was read (or found in the cache), by the same paths, in the same order (made when first read, as `sizes`). */
  readonly stats: Map<string, FileStat>;
  /** What was found and not hashed, in path order. */
  readonly skipped: readonly SkippedEntry[];
  /** The total size of the hashed files, in bytes. */
  readonly bytes: number;
  /** When the walk began, in milliseconds since the epoch: a file whose change time is older than this by 2 s cannot have changed unseen. */
  readonly readAt: number;
}

/**
 * Options of {@link hashTree}.
 *
 * @example
 * ```ts
 * import { hashTree, type HashTreeOptions } from "cosmic-allocation/node";
 *
 * const options: HashTreeOptions = {
 *   cache: `${process.env.HOME}/.cache/cosmic-sync`,
 *   signal: AbortSignal.timeout(60_000),
 *   onFile: (path, size) => process.stderr.write(`${path}: ${size} bytes\n`),
 * };
 * await hashTree("./photos", options);
 * ```
 */
export interface HashTreeOptions {
  /** Stops the walk: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignalLike | undefined;
  /** Called after each file is hashed (or its hash found in the cache), with its path and size. */
  readonly onFile?: ((path: string, size: number) => void) | undefined;
  /**
   * A folder (outside the tree) where hashes are kept between runs, keyed by
   * the tree's real path: a file whose size, modification time, change time,
   * inode and device are unchanged is not read again. None by default, and
   * none with `false` (as `syncDirectories` takes it).
   */
  readonly cache?: string | false | undefined;
  /** With a cache, read every file anyway (and refresh the cache). */
  readonly checksum?: boolean | undefined;
  /** Leaves out what it excludes (from `createPathFilter`): an excluded folder is not entered, an excluded file not read nor listed. */
  readonly filter?: PathFilter | undefined;
}

/**
 * Walks a folder and hashes every regular file in it with SHA-256, in 1 MiB
 * chunks, so memory stays flat for files of any size. Symbolic links are
 * listed in `skipped` and never followed, neither to files nor to folders;
 * so are sockets, devices and pipes, names the sync rules refuse, names that
 * are not valid UTF-8, and files and folders that cannot be read (the rest of
 * the tree is still hashed). Folders themselves are not listed: an empty
 * folder does not appear.
 *
 * @param root - the folder to walk
 * @param options - a signal to stop, a callback per file, a cache folder
 * @returns the files' hashes, sizes and stats by relative POSIX path, in path order, and what was skipped
 * @throws {@link cosmic-allocation!ValidationError} when `root` is not a non-empty string (an empty path would name the current folder) or an option is not of its type, before anything is read
 * @throws the `node:fs` error when `root` itself cannot be read (`ENOENT`, `ENOTDIR`, `EACCES`, ...)
 *
 * @example
 * ```ts
 * import { hashTree } from "cosmic-allocation/node";
 *
 * const { files, skipped } = await hashTree("./photos");
 * for (const [path, hash] of files) console.log(hash.slice(0, 12), path);
 * for (const entry of skipped) console.warn(`skipped ${entry.path}: ${entry.kind}`);
 * ```
 */
export async function hashTree(root: string, options: HashTreeOptions = {}): Promise<HashedTree> {
  assertFolderPath("root", root);
  const {
    signal,
    onFile,
    cache: cacheFolder,
    checksum = false,
    filter,
  } = readShellOptions(options, {
    signal: option.signal,
    onFile: option.callback,
    cache: option.cache,
    checksum: option.boolean,
    filter: option.filter,
  });
  const filtered = filter !== undefined && !filter.empty;
  const readAt = Date.now();
  const real = realpathSync(root);
  const safe = SafeRoot.at(real);
  const cache =
    cacheFolder === undefined || cacheFolder === false
      ? HashCache.none()
      : HashCache.load(cacheFolder, real);
  // With nothing cached, a file is opened and read at once: no look at its stats first.
  const lookup = checksum || cache.empty ? undefined : cache;
  const buffer = Buffer.allocUnsafe(CHUNK);
  const breather = new Breather();
  const files = new Map<string, string>();
  // Each file's path and stats in columns, in walking order: a tree of many
  // small files costs one map and two arrays, not three maps and an object per
  // file (the sizes and stats maps are built only if asked for).
  const paths: string[] = [];
  let numbers = new Float64Array(6 * 1024);
  let bytes = 0;
  const skipped: SkippedEntry[] = [];
  // Depth first, each folder's entries in order of their names (a folder's
  // name followed by "/"): so the files come in code-unit order of their paths,
  // as the maps must hold them, with no sort of the whole tree.
  const stack: Listing[] = [];
  signal?.throwIfAborted();
  const walked = filtered ? filter : undefined;

  try {
    const top0 = list(safe, "", skipped, walked);
    if (top0 !== undefined) stack.push(top0);
    for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
      const entry = top.entries[top.next];
      if (entry === undefined) {
        stack.pop();
        continue;
      }
      top.next += 1;
      /* v8 ignore next 4 -- @preserve: only a walk longer than 20 ms pauses */
      if ((top.next & 63) === 0 && breather.due()) {
        await breather.pause();
        signal?.throwIfAborted();
      }
      const path = top.prefix + entry.name;
      if (entry.folder) {
        signal?.throwIfAborted();
        const below = list(safe, path, skipped, walked);
        if (below !== undefined) stack.push(below);
        continue;
      }
      const result = hashFile(safe, path, buffer, lookup);
      if ("kind" in result) {
        if (result.kind !== "gone") skipped.push({ path, ...result } as SkippedEntry);
        continue;
      }
      const { stats, hash } = result;
      if (!result.cached) cache.set(path, stats, hash, readAt);
      files.set(path, hash);
      const at = paths.length * STAT_COLUMNS;
      if (at === numbers.length) {
        const grown = new Float64Array(numbers.length * 2);
        grown.set(numbers);
        numbers = grown;
      }
      numbers[at] = stats.size;
      numbers[at + 1] = stats.mode & 0o7777;
      numbers[at + 2] = stats.mtimeMs;
      numbers[at + 3] = stats.ctimeMs;
      numbers[at + 4] = stats.ino;
      numbers[at + 5] = stats.dev;
      paths.push(path);
      bytes += stats.size;
      onFile?.(path, stats.size);
    }
  } finally {
    safe.close();
  }
  cache.save();
  skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  return treeOf(files, { paths, numbers }, skipped, bytes, readAt);
}

/**
 * A file's size, mode, modification time, change time, inode and device, in that order.
 *
 * @internal
 */
export const STAT_COLUMNS = 6;

/**
 * A hashed tree's paths in code-unit order and their stats in a row of
 * numbers ({@link STAT_COLUMNS} per path): what `syncDirectories` reads
 * instead of the `sizes` and `stats` maps.
 *
 * @internal
 */
export interface TreeColumns {
  readonly paths: readonly string[];
  readonly numbers: Float64Array;
}

const columnsByTree = new WeakMap<HashedTree, TreeColumns>();

/**
 * The columns of a tree made by {@link hashTree} or {@link treeOf}.
 *
 * @internal
 */
export function columnsOf(tree: HashedTree): TreeColumns {
  return columnsByTree.get(tree) as TreeColumns;
}

/**
 * The stats of the file at row `i` of `columns`.
 *
 * @internal
 */
export function statAt(columns: TreeColumns, i: number): FileStat {
  const { numbers } = columns;
  const at = i * STAT_COLUMNS;
  return {
    size: numbers[at] as number,
    mode: numbers[at + 1] as number,
    mtimeMs: numbers[at + 2] as number,
    ctimeMs: numbers[at + 3] as number,
    ino: numbers[at + 4] as number,
    dev: numbers[at + 5] as number,
  };
}

/**
 * A {@link HashedTree} over columns: its `sizes` and `stats` maps are built
 * the first time they are read.
 *
 * @internal
 */
export function treeOf(
  files: Map<string, string>,
  columns: TreeColumns,
  skipped: readonly SkippedEntry[],
  bytes: number,
  readAt: number,
): HashedTree {
  let sizes: Map<string, number> | undefined;
  let stats: Map<string, FileStat> | undefined;
  const tree: HashedTree = {
    files,
    get sizes() {
      sizes ??= new Map(
        columns.paths.map((path, i) => [path, columns.numbers[i * STAT_COLUMNS] as number]),
      );
      return sizes;
    },
    get stats() {
      stats ??= new Map(columns.paths.map((path, i) => [path, statAt(columns, i)]));
      return stats;
    },
    skipped,
    bytes,
    readAt,
  };
  columnsByTree.set(tree, columns);
  return tree;
}

/** A folder being walked: its files and folders in order, and the next to visit. */
interface Listing {
  readonly prefix: string;
  readonly entries: readonly { readonly name: string; readonly folder: boolean }[];
  next: number;
}

/**
 * Lists a folder through its checked descriptor (so a swap of it, or of a
 * folder above, cannot lead the walk out of the tree), leaving out what
 * `filter` excludes, noting in `skipped` what it holds that is not a file or
 * folder, and returns its files and folders in walking order; undefined when
 * it cannot be listed.
 */
function list(
  safe: SafeRoot,
  folder: string,
  skipped: SkippedEntry[],
  filter: PathFilter | undefined,
): Listing | undefined {
  let found: Dirent[] | Dirent<Buffer>[];
  try {
    safe.checkRoot();
    const reached = safe.reachFolder(folder);
    found = readdirSync(reached, { withFileTypes: true });
    // Names come as text, which costs half as much as bytes; a name that is
    // not UTF-8 decodes with U+FFFD in it, and only then are the names read
    // again as bytes, to tell it (and any twin it collapsed into) apart.
    if (found.some((entry) => entry.name.includes("\uFFFD"))) {
      found = readdirSync(reached, { withFileTypes: true, encoding: "buffer" });
    }
  } catch (error) {
    /* v8 ignore next -- @preserve: the root was just resolved and checked to be a folder */
    if (folder === "") throw error;
    if (isCode(error, "PATH_OCCUPIED")) skipped.push({ path: folder, kind: "symlink" });
    else if (!isCode(error, "ENOENT")) skipped.push(unreadable(folder, error));
    return undefined;
  }
  const prefix = folder === "" ? "" : `${folder}/`;
  const entries: { name: string; folder: boolean; key: string }[] = [];
  for (const entry of found) {
    const bytes = entry.name;
    if (typeof bytes !== "string" && !isUtf8(bytes)) {
      skipped.push({ path: prefix + escapeName(bytes), kind: "non-utf8" });
      continue;
    }
    const name = typeof bytes === "string" ? bytes : bytes.toString("utf8");
    if (filter?.excludesEntry(prefix + name, entry.isDirectory())) continue;
    if (name.includes("\\")) skipped.push({ path: prefix + name, kind: "unsafe-name" });
    else if (entry.isDirectory()) entries.push({ name, folder: true, key: `${name}/` });
    else if (entry.isSymbolicLink()) skipped.push({ path: prefix + name, kind: "symlink" });
    else if (!entry.isFile()) skipped.push({ path: prefix + name, kind: "special" });
    else entries.push({ name, folder: false, key: name });
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { prefix, entries, next: 0 };
}

type HashResult =
  | { readonly hash: string; readonly stats: Stats; readonly cached: boolean }
  | { readonly kind: "symlink" | "special" | "gone" }
  | { readonly kind: "unreadable"; readonly reason: string };

/** Hashes one listed file, or finds its hash in the cache, never through a link. */
function hashFile(
  safe: SafeRoot,
  path: string,
  buffer: Buffer,
  cache: HashCache | undefined,
): HashResult {
  let fd: number;
  try {
    if (cache !== undefined) {
      // Only a look, to trust a cached hash tied to the inode: by full path,
      // which costs the kernel less than a walk through /proc; what is read
      // is opened through the folder's checked descriptor below.
      const listed = lstatSync(safe.absolute(path), { throwIfNoEntry: false });
      /* v8 ignore next -- @preserve: removed between the listing and this look */
      if (listed === undefined) return { kind: "gone" };
      if (listed.isFile()) {
        const hash = cache.get(path, listed);
        if (hash !== undefined) return { hash, stats: listed, cached: true };
      }
    }
    fd = openSync(safe.reach(path), READ_FLAGS);
  } catch (error) {
    return failure(error);
  }
  try {
    safe.checkOpened(fd, path);
    const opened = fstatSync(fd);
    /* v8 ignore next -- @preserve: replaced by a pipe or a device since the listing */
    if (!opened.isFile()) return { kind: "special" };
    return { hash: digestFd(fd, buffer).hash, stats: opened, cached: false };
    /* v8 ignore next 4 -- @preserve: a folder swapped for a link, or a read error, after the open */
  } catch (error) {
    return failure(error);
  } finally {
    closeSync(fd);
  }
}

function failure(error: unknown): HashResult {
  if (isCode(error, "ENOENT")) return { kind: "gone" };
  if (isCode(error, "ELOOP", "PATH_OCCUPIED")) return { kind: "symlink" };
  if (isCode(error, "ENXIO", "ENODEV")) return { kind: "special" };
  return { kind: "unreadable", reason: codeOrMessage(error) };
}

function unreadable(path: string, error: unknown): SkippedEntry {
  return { path, kind: "unreadable", reason: codeOrMessage(error) };
}

function codeOrMessage(error: unknown): string {
  const code = (error as { readonly code?: unknown } | null)?.code;
  return typeof code === "string" ? code : String(error);
}

/** A readable spelling of a name that is not UTF-8: printable ASCII as is, every other byte (and `\`) as `\xNN`. */
function escapeName(bytes: Buffer): string {
  let text = "";
  for (const byte of bytes) {
    text +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return text;
}
