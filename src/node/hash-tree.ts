import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { AbortSignalLike } from "./abort-signal-like";
import { CHUNK, digestFile } from "./hash-file";

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
  /** Its relative POSIX path. */
  readonly path: string;
  /**
   * - `"symlink"`: a symbolic link, never followed;
   * - `"special"`: a socket, a device, a pipe;
   * - `"unsafe-name"`: a name holding a backslash, which the sync rules refuse.
   */
  readonly kind: "symlink" | "special" | "unsafe-name";
}

/**
 * A tree as {@link hashTree} read it.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation";
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
  /** Each regular file's size in bytes, by the same paths. */
  readonly sizes: Map<string, number>;
  /** What was found and not hashed, in path order. */
  readonly skipped: readonly SkippedEntry[];
  /** The total size of the hashed files, in bytes. */
  readonly bytes: number;
}

/**
 * Options of {@link hashTree}.
 *
 * @example
 * ```ts
 * import { hashTree, type HashTreeOptions } from "cosmic-allocation/node";
 *
 * const options: HashTreeOptions = {
 *   concurrency: 4,
 *   signal: AbortSignal.timeout(60_000),
 *   onFile: (path, size) => process.stderr.write(`${path}: ${size} bytes\n`),
 * };
 * await hashTree("./photos", options);
 * ```
 */
export interface HashTreeOptions {
  /** Stops the walk: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignalLike | undefined;
  /** Called after each file is hashed, with its path and size. */
  readonly onFile?: ((path: string, size: number) => void) | undefined;
  /** How many files are read at once; 8 by default. */
  readonly concurrency?: number;
}

/**
 * Walks a folder and hashes every regular file in it with SHA-256, streaming
 * each file in 1 MiB chunks (a few files at a time), so memory stays flat for
 * files of any size. Symbolic links are listed in `skipped` and never followed,
 * neither to files nor to folders; so are sockets, devices and pipes, and
 * names the sync rules refuse. Folders themselves are not listed: an empty
 * folder does not appear.
 *
 * @param root - the folder to walk
 * @param options - a signal to stop, a callback per file, the concurrency
 * @returns the files' hashes and sizes by relative POSIX path, in path order, and what was skipped
 * @throws the `node:fs` error of a folder or file that cannot be read (`ENOENT`, `EACCES`, ...), rather than leave it out
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
  const { signal, onFile, concurrency = 8 } = options;
  const found: { path: string; hash: string; size: number }[] = [];
  const skipped: SkippedEntry[] = [];
  const pending: string[] = [];
  const folders: string[] = [""];

  const hashOne = async (path: string, buffer: Buffer): Promise<void> => {
    const digest = await digestFile(join(root, path), undefined, signal, buffer);
    if (digest.kind !== "file") skipped.push({ path, kind: digest.kind });
    else {
      found.push({ path, hash: digest.hash, size: digest.size });
      onFile?.(path, digest.size);
    }
  };

  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    signal?.throwIfAborted();
    const entries: Dirent[] = await readdir(join(root, folder), { withFileTypes: true });
    for (const entry of entries) {
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (entry.name.includes("\\")) skipped.push({ path, kind: "unsafe-name" });
      else if (entry.isDirectory()) folders.push(path);
      else if (entry.isFile()) pending.push(path);
      else skipped.push({ path, kind: entry.isSymbolicLink() ? "symlink" : "special" });
    }
  }

  let next = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(CHUNK);
    while (next < pending.length) {
      signal?.throwIfAborted();
      await hashOne(pending[next++] as string, buffer);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));

  found.sort((a, b) => (a.path < b.path ? -1 : 1));
  skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  const files = new Map<string, string>();
  const sizes = new Map<string, number>();
  let bytes = 0;
  for (const { path, hash, size } of found) {
    files.set(path, hash);
    sizes.set(path, size);
    bytes += size;
  }
  return { files, sizes, skipped, bytes };
}
