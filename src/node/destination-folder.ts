import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fstatSync,
  futimesSync,
  linkSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  type Stats,
  unlinkSync,
  writeSync,
} from "node:fs";
import {
  type BackupAction,
  ContentChanged,
  type CopyAction,
  type DuplicateAction,
  type MoveAction,
  PathOccupied,
} from "cosmic-allocation/sync";
import { RACY_MS } from "./hash-cache";
import { digestFd, isCode } from "./hash-file";
import type { FileStat, HashedTree } from "./hash-tree";
import { CREATE_FLAGS, kindOf, META_FLAGS, READ_FLAGS, type SafeRoot } from "./safe-root";

/**
 * What the plan was made from on the destination side: a file whose stats
 * are unchanged since, and that had not changed for 2 s before it was read,
 * holds the hash it had then.
 *
 * @example
 * ```ts
 * import { hashTree, type KnownFiles } from "cosmic-allocation/node";
 *
 * const known: KnownFiles = await hashTree("/backup/photos");
 * console.log(known.files.size, new Date(known.readAt));
 * ```
 */
export type KnownFiles = Pick<HashedTree, "files" | "stats" | "readAt">;

/** The mode bits a mirror keeps: permissions and the sticky bit, never set-user-ID or set-group-ID, which would hand the owner's rights to the source's author. */
export function keptMode(mode: number): number {
  return mode & 0o1777;
}

/** Whether two modification times are the same to the millisecond (the system calls round below that). */
export function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) < 1;
}

function sameFile(a: Stats, b: Stats): boolean {
  return (
    a.ino === b.ino &&
    a.dev === b.dev &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs
  );
}

function described(stats: Stats | undefined): string {
  if (stats === undefined) return "(nothing)";
  return `(a ${kindOf(stats)}, not a file)`;
}

/**
 * The destination folder as `applyActions` changes it: every action checks
 * what it expects to find, never goes through a link, and never leaves a path
 * that both trees have missing.
 *
 * @internal
 */
export class DestinationFolder {
  /** How many files were read to check their hash: a move that read one checks its paths again. */
  private reads = 0;
  /** Folders that moves and deletes may have left empty. */
  private readonly emptied = new Set<string>();
  /** The folders {@link DestinationFolder.makeFoldersAhead} made, parents first. */
  private readonly madeAhead: string[] = [];

  constructor(
    readonly root: SafeRoot,
    private readonly known: KnownFiles | undefined,
  ) {}

  /**
   * Writes `action.to` with the content of `action.from` in `from` (the source,
   * or this folder for a duplicate), through a temporary file, and returns
   * the size written.
   */
  copy(
    from: SafeRoot,
    action: CopyAction | DuplicateAction,
    side: "source" | "dest",
    buffer: Buffer,
    meta: Pick<FileStat, "mode" | "mtimeMs"> | undefined,
  ): number {
    const stale = this.prepareTarget(action.to, action.replaces, buffer);
    const input = openChecked(from, action.from, action.hash, side);
    try {
      const { part, fd } = this.createPart(action.to);
      let placed = false;
      let open = true;
      try {
        const digest = digestFd(input.fd, buffer, (chunk) => writeAll(fd, chunk));
        if (digest.hash !== action.hash) {
          throw new ContentChanged(action.from, side, action.hash, digest.hash);
        }
        fchmodSync(fd, keptMode(meta?.mode ?? input.stats.mode));
        futimesSync(fd, Date.now() / 1000, (meta?.mtimeMs ?? input.stats.mtimeMs) / 1000);
        open = false;
        closeSync(fd);
        this.place(part, action.to, action.replaces, stale);
        placed = true;
        return digest.size;
      } finally {
        if (!placed) this.discard(part, open ? fd : undefined);
      }
    } finally {
      closeSync(input.fd);
    }
  }

  /** Renames `action.from` to `action.to` after checking both, and gives it `meta`'s mode and time. */
  move(
    action: MoveAction,
    buffer: Buffer,
    meta: Pick<FileStat, "mode" | "mtimeMs"> | undefined,
  ): void {
    const stale = this.prepareTarget(action.to, action.replaces, buffer);
    const reads = this.reads;
    const moving = this.expectFile(action.from, action.hash, buffer);
    // Reading the file took time: check it is still the file that was read,
    // and check the target's folders again just before the rename.
    const read = this.reads !== reads;
    /* v8 ignore next 7 -- @preserve: a file changed in the instant between its check and its rename */
    if (read) {
      const now = this.root.lstat(action.from);
      if (now === undefined || !sameFile(now, moving)) {
        const actual = now === undefined ? "(nothing)" : "(changed while checking)";
        throw new ContentChanged(action.from, "dest", action.hash, actual);
      }
    }
    this.place(action.from, action.to, action.replaces, stale, read);
    if (
      meta !== undefined &&
      (keptMode(meta.mode) !== keptMode(moving.mode) || !sameTime(meta.mtimeMs, moving.mtimeMs))
    ) {
      this.setMetadata(action.to, meta);
    }
    this.mayEmpty(action.from);
  }

  /** Removes a file that holds `hash`, then the folders it leaves empty. */
  remove(path: string, hash: string, buffer: Buffer): void {
    this.expectFile(path, hash, buffer);
    this.root.checkFolders(path, false);
    unlinkSync(this.root.reach(path));
    this.mayEmpty(path);
  }

  /** Sets the mode and modification time of a file, through a descriptor checked to be that file. */
  setMetadata(path: string, meta: Pick<FileStat, "mode" | "mtimeMs">): void {
    this.root.checkFolders(path, false);
    const fd = openSync(this.root.reach(path), META_FLAGS);
    try {
      this.root.checkOpened(fd, path);
      const stats = fstatSync(fd);
      /* v8 ignore next -- @preserve: the file was checked a moment before; only a race makes it something else */
      if (!stats.isFile()) throw new PathOccupied(path, kindOf(stats));
      fchmodSync(fd, keptMode(meta.mode));
      futimesSync(fd, stats.atimeMs / 1000, meta.mtimeMs / 1000);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Checks that `path` is a regular file holding `hash`, reading it unless the
   * plan's listing already vouches for it, and returns its stats.
   *
   * @throws {@link ContentChanged} when it holds anything else, or nothing
   */
  private expectFile(path: string, hash: string, buffer: Buffer): Stats {
    const stats = lstatOrBlame(this.root, path, hash, "dest");
    if (stats === undefined || !stats.isFile()) {
      throw new ContentChanged(path, "dest", hash, described(stats));
    }
    if (this.vouches(path, stats, hash)) return stats;
    this.reads += 1;
    const input = openChecked(this.root, path, hash, "dest");
    try {
      const { hash: actual } = digestFd(input.fd, buffer);
      if (actual !== hash) throw new ContentChanged(path, "dest", hash, actual);
    } finally {
      closeSync(input.fd);
    }
    return stats;
  }

  private vouches(path: string, stats: Stats, hash: string): boolean {
    const known = this.known;
    const seen = known?.stats.get(path);
    return (
      known !== undefined &&
      seen !== undefined &&
      known.files.get(path) === hash &&
      seen.ino === stats.ino &&
      seen.dev === stats.dev &&
      seen.size === stats.size &&
      seen.mtimeMs === stats.mtimeMs &&
      seen.ctimeMs === stats.ctimeMs &&
      stats.ctimeMs < known.readAt - RACY_MS
    );
  }

  /**
   * Makes `path` ready to be written: its folders exist and are real folders,
   * and it holds nothing (`replaces` null; an empty folder there, which a
   * listing of files cannot show, is removed) or the stale file `replaces`.
   * Returns the stale file's stats.
   */
  private prepareTarget(path: string, replaces: string | null, buffer: Buffer): Stats | undefined {
    this.root.checkFolders(path, true);
    if (replaces !== null) return this.expectFile(path, replaces, buffer);
    const stats = this.root.lstat(path);
    if (stats === undefined) return undefined;
    if (!stats.isDirectory() || !this.removeEmptyTree(path))
      throw new PathOccupied(path, kindOf(stats));
    return undefined;
  }

  /**
   * Puts `from` at `to`: with a hard link then an unlink when `to` must be
   * free (a link fails rather than overwrite), or with one rename over the
   * stale file, which replaces it atomically, after checking it is the very
   * file that was checked.
   */
  private place(
    from: string,
    to: string,
    replaces: string | null,
    stale: Stats | undefined,
    recheckTarget = true,
  ): void {
    this.root.checkFolders(from, false);
    if (recheckTarget && parentOf(to) !== parentOf(from)) this.root.checkFolders(to, false);
    const absoluteFrom = this.root.reach(from);
    const absoluteTo = this.root.reach(to);
    if (replaces !== null) {
      const now = this.root.lstat(to);
      /* v8 ignore next 7 -- @preserve: the stale file changed while the new content was written */
      if (now === undefined || stale === undefined || !sameFile(now, stale)) {
        throw new ContentChanged(
          to,
          "dest",
          replaces,
          now === undefined ? "(nothing)" : "(changed while copying)",
        );
      }
      renameSync(absoluteFrom, absoluteTo);
      return;
    }
    try {
      linkSync(absoluteFrom, absoluteTo);
    } catch (error) {
      /* v8 ignore next 4 -- @preserve: the target was checked free a moment before; only a race takes it */
      if (isCode(error, "EEXIST")) {
        const taken = this.root.lstat(to);
        throw new PathOccupied(to, taken === undefined ? "file" : kindOf(taken));
      }
      /* v8 ignore start -- @preserve: file systems without hard links (FAT, some network shares) */
      if (!isCode(error, "EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK")) throw error;
      const taken = this.root.lstat(to);
      if (taken !== undefined) throw new PathOccupied(to, kindOf(taken));
      renameSync(absoluteFrom, absoluteTo);
      return;
      /* v8 ignore stop -- @preserve */
    }
    unlinkSync(absoluteFrom);
  }

  /**
   * Saves the file at `action.path`, which must hold `action.hash`, at the same
   * relative path in `backup`: moved there (`"move"`, instead of a delete), or
   * hard-linked there (`"copy"`, the file staying for the next action to
   * replace). Across file systems, its content is copied and checked. An
   * older backup at that path is replaced.
   */
  backup(action: BackupAction, backup: SafeRoot, buffer: Buffer): number {
    const stats = this.expectFile(action.path, action.hash, buffer);
    backup.checkRoot();
    backup.checkFolders(action.path, true);
    const older = backup.lstat(action.path);
    if (older !== undefined && !older.isFile()) throw new PathOccupied(action.path, kindOf(older));
    this.root.checkFolders(action.path, false);
    const from = this.root.reach(action.path);
    const to = backup.reach(action.path);
    try {
      if (action.mode === "move") renameSync(from, to);
      else {
        const { part, fd } = createPart(backup, action.path);
        closeSync(fd);
        unlinkSync(backup.reach(part));
        linkSync(from, backup.reach(part));
        renameSync(backup.reach(part), to);
      }
    } catch (error) {
      if (!isCode(error, "EXDEV")) throw error;
      const size = this.copyAcross(action, stats, backup, buffer);
      if (action.mode === "move") unlinkSync(from);
      if (action.mode === "move") this.mayEmpty(action.path);
      return size;
    }
    if (action.mode === "move") this.mayEmpty(action.path);
    return 0;
  }

  /** Copies a file of this folder into another folder on another file system, checking its hash; returns the bytes written. */
  private copyAcross(action: BackupAction, stats: Stats, backup: SafeRoot, buffer: Buffer): number {
    const input = openChecked(this.root, action.path, action.hash, "dest");
    try {
      const { part, fd } = createPart(backup, action.path);
      let done = false;
      try {
        const digest = digestFd(input.fd, buffer, (chunk) => writeAll(fd, chunk));
        if (digest.hash !== action.hash) {
          throw new ContentChanged(action.path, "dest", action.hash, digest.hash);
        }
        fchmodSync(fd, keptMode(stats.mode));
        futimesSync(fd, stats.atimeMs / 1000, stats.mtimeMs / 1000);
        closeSync(fd);
        done = true;
        renameSync(backup.reach(part), backup.reach(action.path));
        return digest.size;
      } finally {
        if (!done) discard(backup, part, fd);
      }
    } finally {
      closeSync(input.fd);
    }
  }

  /** Creates a temporary file next to `path`, for writing its content before it is put in place. */
  private createPart(path: string): { part: string; fd: number } {
    return createPart(this.root, path);
  }

  private discard(part: string, fd: number | undefined): void {
    discard(this.root, part, fd);
  }

  /** Removes a folder holding nothing but empty folders; false if it holds anything else. */
  private removeEmptyTree(path: string): boolean {
    for (const entry of readdirSync(this.root.reachFolder(path), { withFileTypes: true })) {
      if (!entry.isDirectory() || !this.removeEmptyTree(`${path}/${entry.name}`)) return false;
    }
    this.root.forget(path);
    rmdirSync(this.root.reach(path));
    return true;
  }

  /** Notes the folders above `path`, which may be empty now: {@link DestinationFolder.sweep} tries them. */
  private mayEmpty(path: string): void {
    for (let end = path.lastIndexOf("/"); end > 0; end = path.lastIndexOf("/", end - 1)) {
      const folder = path.slice(0, end);
      if (this.emptied.has(folder)) return;
      this.emptied.add(folder);
    }
  }

  /**
   * Makes the folders of every write of a plan (the `to` of its copies,
   * duplicates and moves), in plan order, before any file is written, as
   * rsync's generator does ahead of its receiver. On ext4 without a journal,
   * each file created in a folder made amid the writes can walk every inode
   * freed in the last minute (`recently_deleted`): a fresh copy of 50,000
   * files after a delete of as many took twice as long as rsync that way, and
   * as long as rsync with the folders made first. A folder that cannot be
   * made yet (a file or a link in the way, which an earlier action of the
   * plan removes) is left for its write, which meets it in its turn.
   */
  makeFoldersAhead(targets: Iterable<string>): void {
    let previous = "";
    for (const to of targets) {
      const end = to.lastIndexOf("/");
      if (end < 0 || (end === previous.length && to.startsWith(previous))) continue;
      previous = to.slice(0, end);
      // Once per folder, as before an action: the root is checked, and folder descriptors beyond the kept few are closed.
      this.root.checkRoot();
      try {
        this.root.checkFolders(to, true, this.madeAhead);
      } catch {
        // Left for the write, which meets it, with its context, in its turn.
      }
    }
  }

  /** Removes the folders made ahead that a run stopped early left empty, deepest first. */
  removeUnusedFolders(): void {
    for (const folder of this.madeAhead) this.emptied.add(folder);
    this.madeAhead.length = 0;
    this.sweep();
  }

  /**
   * Removes the folders that moves and deletes left empty, deepest first.
   * Done once at the end (and when a run stops early) rather than after each
   * action: a failed `rmdir` costs an exception, and an empty folder in the
   * way of a later write is removed by that write.
   */
  sweep(): void {
    const folders = [...this.emptied].sort((a, b) => depth(b) - depth(a));
    this.emptied.clear();
    for (const folder of folders) {
      try {
        this.root.checkFolders(folder, false);
        this.root.forget(folder);
        rmdirSync(this.root.reach(folder));
      } catch (error) {
        if (isCode(error, "ENOTEMPTY", "EEXIST", "ENOENT", "PATH_OCCUPIED", "ENOTDIR")) continue;
        /* v8 ignore next -- @preserve: rmdir fails otherwise only on permissions or I/O errors */
        throw error;
      }
    }
  }
}

function parentOf(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf("/")));
}

function depth(path: string): number {
  let count = 0;
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) count += 1;
  return count;
}

/**
 * What is at `path`, or undefined when nothing is; when a folder on the way
 * is missing or is not a real folder, says which.
 */
function lstatOrBlame(
  root: SafeRoot,
  path: string,
  hash: string,
  side: "source" | "dest",
): Stats | undefined {
  try {
    const stats = root.lstat(path);
    if (stats !== undefined) return stats;
  } catch (error) {
    // A folder on the way is a file: checkFolders below names it.
    /* v8 ignore next -- @preserve: lstat fails otherwise only on I/O errors */
    if (!isCode(error, "ENOTDIR")) throw error;
  }
  if (!root.checkFolders(path, false)) throw new ContentChanged(path, side, hash, "(nothing)");
  return undefined;
}

/**
 * Names for temporary files: 48 random bits drawn once per process, then a
 * counter, which is as unlikely to clash as a fresh draw per file (and the
 * exclusive create retries if it does) but costs no trip to the random source.
 */
const partNames = {
  prefix: randomBytes(6).toString("hex"),
  count: 0,
  next(): string {
    this.count += 1;
    return `${this.prefix}-${this.count.toString(36)}`;
  },
};

/** Creates a temporary file in `root` next to `path`, checked to be below the root through real folders. */
function createPart(root: SafeRoot, path: string): { part: string; fd: number } {
  const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
  for (;;) {
    const part = `${folder}.cosmic-sync-${partNames.next()}.part`;
    let fd: number;
    try {
      fd = openSync(root.reach(part), CREATE_FLAGS, 0o600);
    } catch (error) {
      /* v8 ignore next 3 -- @preserve: 48 random bits do not clash in practice */
      if (!isCode(error, "EEXIST")) throw error;
      continue;
    }
    try {
      root.checkOpened(fd, part);
      /* v8 ignore next 4 -- @preserve: the folder was checked a moment before; only a swap in between lands here */
    } catch (error) {
      discard(root, part, fd);
      throw error;
    }
    return { part, fd };
  }
}

function discard(root: SafeRoot, part: string, fd: number | undefined): void {
  if (fd !== undefined) closeSync(fd);
  try {
    unlinkSync(root.reach(part));
  } catch {
    // Gone already, or its folder was swapped: nothing of ours to remove.
  }
}

/** Opens a file of `root` that must hold `hash`, checked to be the file at that path, not through a link. */
function openChecked(
  root: SafeRoot,
  path: string,
  hash: string,
  side: "source" | "dest",
): { fd: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(root.reach(path), READ_FLAGS);
  } catch (error) {
    if (isCode(error, "ENOENT", "ENOTDIR")) {
      lstatOrBlame(root, path, hash, side);
      throw new ContentChanged(path, side, hash, "(nothing)");
    }
    if (isCode(error, "ELOOP"))
      throw new ContentChanged(path, side, hash, "(a symlink, not a file)");
    if (isCode(error, "ENXIO", "ENODEV"))
      throw new ContentChanged(path, side, hash, "(a special, not a file)");
    throw error;
  }
  try {
    root.checkOpened(fd, path);
    const stats = fstatSync(fd);
    /* v8 ignore next -- @preserve: the listing said file; only a swap since makes it something else */
    if (!stats.isFile()) throw new ContentChanged(path, side, hash, described(stats));
    return { fd, stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let offset = 0; offset < chunk.length; ) {
    offset += writeSync(fd, chunk, offset, chunk.length - offset);
  }
}
