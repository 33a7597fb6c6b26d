import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  type Stats,
} from "node:fs";
import { type OccupiedBy, PathOccupied } from "cosmic-allocation/sync";
import { isCode } from "./hash-file";

/** Open for reading without following a final symbolic link, and without blocking on a pipe put there since the listing. */
export const READ_FLAGS: number = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Create a new file for writing: fails if the name is taken, even by a dangling link. */
export const CREATE_FLAGS: number =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Open an existing regular file to change its mode and times, never through a final link. */
export const META_FLAGS: number = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Linux's `O_PATH` (not in `fs.constants`): a descriptor that only names a
 * folder, so one that may be written and searched but not listed can still be
 * worked below, as by path. Its value on every architecture Node runs Linux on
 * (alpha, PA-RISC and SPARC, which differ, fall back to reading).
 */
const O_PATH = ["x64", "arm64", "arm", "ia32", "ppc64", "s390x", "riscv64", "loong64"].includes(
  process.arch,
)
  ? 0o10000000
  : constants.O_RDONLY;

/** Open a folder to work below it: never through a final link, and only if it is a folder. */
const FOLDER_FLAGS: number = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/**
 * Linux names every open descriptor here, and a path through
 * `/proc/self/fd/N/name` is resolved from the folder that descriptor holds,
 * as `openat(N, "name")` would be: Node has no `openat`, this is the same.
 */
const PROC_FD = existsSync("/proc/self/fd") ? "/proc/self/fd/" : undefined;

/** The longest path a system call takes, in bytes, its final NUL left out (Linux's PATH_MAX less one). */
const PATH_MAX = 4095;

/** How many folder descriptors a root keeps open between actions; the least recently used are closed first. */
const KEPT_FOLDERS = 64;

/**
 * What stands at a path, in the words of {@link PathOccupied}.
 *
 * @internal
 */
export function kindOf(stats: Stats): OccupiedBy {
  if (stats.isSymbolicLink()) return "symlink";
  if (stats.isDirectory()) return "directory";
  return stats.isFile() ? "file" : "special";
}

/**
 * A folder resolved once to its real path, below which every access is
 * safe from symbolic links, even ones put there after planning.
 *
 * On Linux every access works relative to an open descriptor of the folder
 * holding the entry (`/proc/self/fd/N/name`, which is `openat`): the root's
 * descriptor is checked to be the very folder resolved, and each folder below
 * is opened from its parent's descriptor without following a final link
 * (`O_NOFOLLOW | O_DIRECTORY`), so by induction every descriptor holds a real
 * folder that was at its path inside the root when it was opened. The
 * descriptors are kept for the run (the least recently used closed beyond
 * {@link KEPT_FOLDERS}), so each folder is checked once per run, not once per
 * file. This is safe, and leaves no window: a folder swapped for a link, or
 * moved away, after it was opened cannot redirect an access into the link's
 * target, since no access resolves that path again; the access happens in the
 * folder that was checked, wherever it is now. (A swap of the root itself
 * stops the run at the next {@link SafeRoot.checkRoot}.)
 *
 * Without `/proc` (macOS, the BSDs), each folder on the way is checked
 * (`lstat`) just before each access, and each opened file is checked again
 * after the open; see docs/sync.md for the window that leaves.
 *
 * @internal
 */
export class SafeRoot {
  /** Open descriptors of folders below the root, by relative path ("" for the root), least recently used first. */
  private readonly folders = new Map<string, number>();

  private constructor(
    /** The real path of the folder: no link in it, no trailing slash. */
    readonly path: string,
    private readonly dev: number,
    private readonly ino: number,
    /** Whether accesses go through folder descriptors (Linux), or through checked paths. */
    private readonly relative: boolean,
  ) {}

  /**
   * Takes a real folder path (from `realpath`) as the root; throws if it is
   * not a folder. Call {@link SafeRoot.close} when done.
   */
  static at(
    realPath: string,
    { descriptors = true }: { readonly descriptors?: boolean } = {},
  ): SafeRoot {
    const stats = lstatSync(realPath);
    if (!stats.isDirectory()) throw new PathOccupied(".", kindOf(stats));
    return new SafeRoot(
      realPath === "/" ? "" : realPath,
      stats.dev,
      stats.ino,
      descriptors && PROC_FD !== undefined,
    );
  }

  /** The absolute path of a relative path below the root, for messages and for tools that check paths themselves. */
  absolute(path: string): string {
    return `${this.path}/${path}`;
  }

  /**
   * The path to hand a system call for `path` (a relative path below the
   * root): through its folder's checked descriptor where there is one, else
   * the absolute path, whose folders the caller checked with
   * {@link SafeRoot.checkFolders}.
   *
   * @throws an `ENOENT` error when a folder on the way is missing, {@link PathOccupied} when one is not a real folder
   */
  reach(path: string): string {
    if (!this.relative) return this.absolute(path);
    this.checkLength(path);
    const slash = path.lastIndexOf("/");
    const fd = this.folderFd(slash === -1 ? "" : path.slice(0, slash), false);
    if (fd === undefined) throw missing(path);
    return `${PROC_FD}${fd}/${path.slice(slash + 1)}`;
  }

  /**
   * The path to hand a system call (`readdir`) for the folder `folder`
   * itself ("" for the root): its own checked descriptor, or its absolute
   * path after checking every folder on the way, itself included.
   *
   * @throws as {@link SafeRoot.reach}
   */
  reachFolder(folder: string): string {
    if (!this.relative) {
      /* v8 ignore next 2 -- @preserve: systems without /proc */
      if (folder !== "") this.checkFolders(`${folder}/-`, false);
      return folder === "" ? this.path || "/" : this.absolute(folder);
    }
    this.checkLength(folder);
    const fd = this.folderFd(folder, false);
    if (fd === undefined) throw missing(folder);
    return `${PROC_FD}${fd}`;
  }

  /**
   * Holds paths reached through descriptors to the limit of full paths: an
   * entry deeper than that is unreadable on every system, not only on Linux.
   */
  private checkLength(path: string): void {
    // Three bytes per UTF-16 unit at most: only long paths are measured.
    if ((this.path.length + 1 + path.length) * 3 <= PATH_MAX) return;
    if (Buffer.byteLength(this.path) + 1 + Buffer.byteLength(path) <= PATH_MAX) return;
    throw Object.assign(new Error(`ENAMETOOLONG: name too long, ${this.absolute(path)}`), {
      code: "ENAMETOOLONG",
    });
  }

  /**
   * Checks that every folder on the way to `path` (not `path` itself) is a
   * real folder (call {@link SafeRoot.checkRoot} once per action for the root). With `create`,
   * missing folders are made, and listed in `made` (parents first) when given; without, returns false at the first missing one.
   *
   * @throws {@link PathOccupied} naming the first folder that is a link, a file or a special file
   */
  checkFolders(path: string, create: boolean, made?: string[]): boolean {
    if (this.relative) {
      const slash = path.lastIndexOf("/");
      return slash === -1 || this.folderFd(path.slice(0, slash), create, made) !== undefined;
    }
    // Systems without /proc (the tests run this walk with `descriptors: false`).
    for (let end = path.indexOf("/"); end !== -1; end = path.indexOf("/", end + 1)) {
      const folder = path.slice(0, end);
      const stats = lstatSync(this.absolute(folder), { throwIfNoEntry: false });
      if (stats === undefined) {
        if (!create) return false;
        try {
          mkdirSync(this.absolute(folder));
          made?.push(folder);
        } catch (error) {
          /* v8 ignore next -- @preserve: another writer made it between the check and mkdir */
          if (!isCode(error, "EEXIST")) throw error;
        }
        const now = lstatSync(this.absolute(folder));
        if (!now.isDirectory()) throw new PathOccupied(folder, kindOf(now));
      } else if (!stats.isDirectory()) throw new PathOccupied(folder, kindOf(stats));
    }
    return true;
  }

  /**
   * Throws when the root folder was replaced (by a link, or another folder)
   * since it was resolved. Called once per action, it is also where folder
   * descriptors beyond {@link KEPT_FOLDERS} are closed: never in the middle
   * of an action, which may hold two of them.
   */
  checkRoot(): void {
    const stats = lstatSync(this.path === "" ? "/" : this.path, { throwIfNoEntry: false });
    if (stats === undefined || stats.dev !== this.dev || stats.ino !== this.ino) {
      throw new PathOccupied(".", stats === undefined ? "special" : kindOf(stats));
    }
    for (const [folder, fd] of this.folders) {
      if (this.folders.size <= KEPT_FOLDERS) break;
      if (folder === "") continue;
      this.folders.delete(folder);
      closeSync(fd);
    }
  }

  /** What is at `path` now, without following a link; undefined when nothing is (or a folder on the way is missing). */
  lstat(path: string): Stats | undefined {
    try {
      return lstatSync(this.reach(path), { throwIfNoEntry: false });
    } catch (error) {
      if (isCode(error, "ENOENT")) return undefined;
      throw error;
    }
  }

  /**
   * Checks that an open descriptor is the file at `path` below the root, so
   * that a folder swapped for a link between the checks and the open is
   * caught before anything is read or written. A file opened through
   * {@link SafeRoot.reach} on Linux needs no check: it is in the checked folder.
   *
   * @throws {@link PathOccupied} when the descriptor is elsewhere
   */
  checkOpened(_fd: number, path: string): void {
    /* v8 ignore next -- @preserve: systems without /proc */
    if (!this.relative) this.checkFolders(path, false);
  }

  /** Forgets the descriptors of `folder` and every folder below it: they were removed. */
  forget(folder: string): void {
    for (const [known, fd] of this.folders) {
      if (known === folder || known.startsWith(`${folder}/`)) {
        this.folders.delete(known);
        closeSync(fd);
      }
    }
  }

  /** Closes every folder descriptor; the root can still be used, reopening them as needed. */
  close(): void {
    for (const fd of this.folders.values()) closeSync(fd);
    this.folders.clear();
  }

  /**
   * The open descriptor of `folder` ("" for the root), opened (and, with
   * `create`, made) from its parent's if not open yet; undefined when it is
   * missing.
   *
   * @throws {@link PathOccupied} when it, or a folder above it, is not a real folder
   */
  private folderFd(folder: string, create: boolean, made?: string[]): number | undefined {
    const kept = this.folders.get(folder);
    if (kept !== undefined) {
      this.folders.delete(folder);
      this.folders.set(folder, kept);
      return kept;
    }
    let fd: number;
    if (folder === "") {
      fd = openSync(this.path === "" ? "/" : this.path, FOLDER_FLAGS);
      const stats = fstatSync(fd);
      /* v8 ignore next 4 -- @preserve: the root swapped between its check and this open */
      if (stats.dev !== this.dev || stats.ino !== this.ino) {
        closeSync(fd);
        throw new PathOccupied(".", "symlink");
      }
    } else {
      const slash = folder.lastIndexOf("/");
      const parent = this.folderFd(slash === -1 ? "" : folder.slice(0, slash), create, made);
      if (parent === undefined) return undefined;
      const inParent = `${PROC_FD}${parent}/${folder.slice(slash + 1)}`;
      const opened = openFolder(inParent, folder, create, made);
      if (opened === undefined) return undefined;
      fd = opened;
    }
    this.folders.set(folder, fd);
    return fd;
  }
}

/** Opens the folder at `inParent` (a path through its parent's descriptor), making it with `create` (listed in `made`); undefined when missing. */
function openFolder(
  inParent: string,
  folder: string,
  create: boolean,
  made: string[] | undefined,
): number | undefined {
  for (let attempt = 0; ; attempt++) {
    try {
      return openSync(inParent, FOLDER_FLAGS);
    } catch (error) {
      if (isCode(error, "ENOENT") && create && attempt === 0) {
        try {
          mkdirSync(inParent);
          made?.push(folder);
        } catch (failed) {
          /* v8 ignore next -- @preserve: another writer made it between the open and mkdir */
          if (!isCode(failed, "EEXIST")) throw failed;
        }
        continue;
      }
      if (isCode(error, "ENOENT")) return undefined;
      if (!isCode(error, "ELOOP", "ENOTDIR")) throw error;
      const stats = lstatSync(inParent, { throwIfNoEntry: false });
      // A folder there now was something else at the open: a swap, blamed as a link.
      throw new PathOccupied(
        folder,
        stats === undefined || stats.isDirectory() ? "symlink" : kindOf(stats),
      );
    }
  }
}

function missing(path: string): Error {
  return Object.assign(new Error(`ENOENT: a folder on the way to ${path} is missing`), {
    code: "ENOENT",
  });
}
