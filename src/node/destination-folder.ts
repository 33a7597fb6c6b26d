import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { link, lstat, mkdir, open, readdir, rename, rmdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type OccupiedBy, PathOccupied } from "cosmic-allocation";
import { isCode } from "./hash-file";

function kindOf(stats: Stats): OccupiedBy {
  if (stats.isSymbolicLink()) return "symlink";
  if (stats.isDirectory()) return "directory";
  return stats.isFile() ? "file" : "special";
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

/**
 * The destination folder as `applyActions` changes it: every write goes to a
 * free path below real folders (never through a link), never overwrites, and
 * folders left empty are removed.
 *
 * @internal
 */
export class DestinationFolder {
  /** Relative folders known to be real folders, so each is checked once. */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  /** The absolute path of a relative destination path. */
  resolve(path: string): string {
    return join(this.root, path);
  }

  /**
   * Makes `path` ready to be written: its folders exist and are real folders,
   * and nothing is at `path` itself. An empty folder there (which a file tree
   * listing cannot show) is removed; anything else is an error.
   *
   * @throws {@link PathOccupied} naming what stands in the way
   */
  async prepare(path: string): Promise<void> {
    const segments = path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join("/");
      if (this.folders.has(folder)) continue;
      const stats = await lstatOrUndefined(this.resolve(folder));
      if (stats === undefined) await mkdir(this.resolve(folder));
      else if (!stats.isDirectory() || stats.isSymbolicLink())
        throw new PathOccupied(folder, kindOf(stats));
      this.folders.add(folder);
    }
    const stats = await lstatOrUndefined(this.resolve(path));
    if (stats === undefined) return;
    if (!stats.isDirectory() || !(await this.removeEmptyTree(path))) {
      throw new PathOccupied(path, kindOf(stats));
    }
  }

  /** Removes a folder holding nothing but empty folders; false if it holds anything else. */
  private async removeEmptyTree(path: string): Promise<boolean> {
    for (const entry of await readdir(this.resolve(path), { withFileTypes: true })) {
      if (!entry.isDirectory() || !(await this.removeEmptyTree(`${path}/${entry.name}`)))
        return false;
    }
    await rmdir(this.resolve(path));
    this.folders.delete(path);
    return true;
  }

  /**
   * Renames without replacing: a hard link to the new name, which fails if the
   * name is taken, then the old name is unlinked. Where hard links are not
   * supported, checks the name is free and renames.
   *
   * @throws {@link PathOccupied} when `to` is taken
   */
  async rename(from: string, to: string): Promise<void> {
    await renameNoReplace(to, this.resolve(from), this.resolve(to));
  }

  /** Creates a temporary file next to `path`, for writing its content before it is put in place. */
  async createPart(
    path: string,
  ): Promise<{ part: string; handle: import("node:fs/promises").FileHandle }> {
    const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
    for (;;) {
      const part = `${folder}.cosmic-sync-${randomBytes(6).toString("hex")}.part`;
      try {
        return { part, handle: await open(this.resolve(part), "wx") };
      } catch (error) {
        /* v8 ignore next -- @preserve: 48 random bits do not clash in practice */
        if (!isCode(error, "EEXIST")) throw error;
      }
    }
  }

  /** Removes a regular file, then the folders it leaves empty. */
  async remove(path: string): Promise<void> {
    const stats = await lstatOrUndefined(this.resolve(path));
    if (stats !== undefined && !stats.isFile()) throw new PathOccupied(path, kindOf(stats));
    await unlink(this.resolve(path));
    await this.removeEmptyFolders(path);
  }

  /** Removes the folders above `path` that are empty now, deepest first, up to the root. */
  async removeEmptyFolders(path: string): Promise<void> {
    for (let end = path.lastIndexOf("/"); end > 0; end = path.lastIndexOf("/", end - 1)) {
      const folder = path.slice(0, end);
      try {
        await rmdir(this.resolve(folder));
      } catch (error) {
        if (isCode(error, "ENOTEMPTY", "EEXIST", "ENOENT")) return;
        /* v8 ignore next -- @preserve: rmdir fails otherwise only on permissions or I/O errors */
        throw error;
      }
      this.folders.delete(folder);
    }
  }
}

async function renameNoReplace(
  to: string,
  absoluteFrom: string,
  absoluteTo: string,
): Promise<void> {
  try {
    await link(absoluteFrom, absoluteTo);
  } catch (error) {
    if (isCode(error, "EEXIST")) {
      throw new PathOccupied(to, kindOf(await lstat(absoluteTo)));
    }
    /* v8 ignore start -- @preserve: file systems without hard links (FAT, some network shares) */
    if (!isCode(error, "EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK")) throw error;
    const taken = await lstatOrUndefined(absoluteTo);
    if (taken !== undefined) throw new PathOccupied(to, kindOf(taken));
    await rename(absoluteFrom, absoluteTo);
    return;
    /* v8 ignore stop -- @preserve */
  }
  await unlink(absoluteFrom);
}
