import { constants, existsSync, lstatSync, mkdirSync, readlinkSync, type Stats } from "node:fs";
import { type OccupiedBy, PathOccupied } from "cosmic-allocation/sync";
import { isCode } from "./hash-file";

/** Open for reading without following a final symbolic link, and without blocking on a pipe put there since the listing. */
export const READ_FLAGS: number = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Create a new file for writing: fails if the name is taken, even by a dangling link. */
export const CREATE_FLAGS: number =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Open an existing regular file to change its mode and times, never through a final link. */
export const META_FLAGS: number = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Linux names every open file descriptor's real path here, which closes the gap between a check and an open. */
const PROC_FD = existsSync("/proc/self/fd") ? "/proc/self/fd/" : undefined;

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
 * checked: each folder on the way to a path is a real folder (never a
 * symbolic link, even one put there after planning), and each opened file is
 * checked, through `/proc/self/fd` on Linux, to be the file at the expected
 * real path. Node has no `openat`, so the checks are made by path just before
 * each system call; see docs/sync.md for the window that leaves.
 *
 * @internal
 */
export class SafeRoot {
  private constructor(
    /** The real path of the folder: no link in it, no trailing slash. */
    readonly path: string,
    private readonly dev: number,
    private readonly ino: number,
  ) {}

  /** Takes a real folder path (from `realpath`) as the root; throws if it is not a folder. */
  static at(realPath: string): SafeRoot {
    const stats = lstatSync(realPath);
    if (!stats.isDirectory()) throw new PathOccupied(".", kindOf(stats));
    return new SafeRoot(realPath === "/" ? "" : realPath, stats.dev, stats.ino);
  }

  /** The absolute path of a relative path below the root. */
  absolute(path: string): string {
    return `${this.path}/${path}`;
  }

  /**
   * Checks that every folder on the way to `path` (not `path` itself) is a
   * real folder (call {@link SafeRoot.checkRoot} once per action for the root). With `create`,
   * missing folders are made; without, returns false at the first missing one.
   *
   * @throws {@link PathOccupied} naming the first folder that is a link, a file or a special file
   */
  checkFolders(path: string, create: boolean): boolean {
    for (let end = path.indexOf("/"); end !== -1; end = path.indexOf("/", end + 1)) {
      const folder = path.slice(0, end);
      const stats = lstatSync(this.absolute(folder), { throwIfNoEntry: false });
      if (stats === undefined) {
        if (!create) return false;
        try {
          mkdirSync(this.absolute(folder));
        } catch (error) {
          /* v8 ignore next -- @preserve: another writer made it between the check and mkdir */
          if (!isCode(error, "EEXIST")) throw error;
        }
        const made = lstatSync(this.absolute(folder));
        if (!made.isDirectory()) throw new PathOccupied(folder, kindOf(made));
      } else if (!stats.isDirectory()) throw new PathOccupied(folder, kindOf(stats));
    }
    return true;
  }

  /** Throws when the root folder was replaced (by a link, or another folder) since it was resolved. */
  checkRoot(): void {
    const stats = lstatSync(this.path === "" ? "/" : this.path, { throwIfNoEntry: false });
    if (stats === undefined || stats.dev !== this.dev || stats.ino !== this.ino) {
      throw new PathOccupied(".", stats === undefined ? "special" : kindOf(stats));
    }
  }

  /** What is at `path` now, without following a link; undefined when nothing is. */
  lstat(path: string): Stats | undefined {
    return lstatSync(this.absolute(path), { throwIfNoEntry: false });
  }

  /**
   * Checks that an open descriptor is the file at `path` below the root, so
   * that a folder swapped for a link between the checks and the open is
   * caught before anything is read or written. Where `/proc` is missing,
   * re-checks the folders instead.
   *
   * @throws {@link PathOccupied} when the descriptor is elsewhere
   */
  checkOpened(fd: number, path: string): void {
    /* v8 ignore next 4 -- @preserve: systems without /proc (macOS, the BSDs) */
    if (PROC_FD === undefined) {
      this.checkFolders(path, false);
      return;
    }
    let real: string;
    try {
      real = readlinkSync(PROC_FD + fd);
    } catch {
      /* v8 ignore next 3 -- @preserve: /proc without fd links (some sandboxes): fall back to the folder checks */
      this.checkFolders(path, false);
      return;
    }
    if (real !== this.absolute(path)) throw new PathOccupied(this.blame(path), "symlink");
  }

  /** The first folder on the way to `path` that is not a real folder now, or `path` itself. */
  private blame(path: string): string {
    for (let end = path.indexOf("/"); end !== -1; end = path.indexOf("/", end + 1)) {
      const stats = this.lstat(path.slice(0, end));
      if (stats === undefined || !stats.isDirectory()) return path.slice(0, end);
    }
    /* v8 ignore next -- @preserve: the swapped folder was swapped back before this look */
    return path;
  }
}
