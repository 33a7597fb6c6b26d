import { createHash } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import type { AbortSignalLike } from "./abort-signal-like";

/** Open for reading without following a final symbolic link, and without blocking on a pipe put there since the listing. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The size of one read; a buffer of this size can be reused across files. */
export const CHUNK: number = 1 << 20;

/** What reading a file gave: its SHA-256 in hex and its size, or why it was not read. */
export type FileDigest =
  | { readonly kind: "file"; readonly hash: string; readonly size: number }
  | { readonly kind: "symlink" | "special" };

/**
 * Opens a path as a regular file, never through a symbolic link, and streams
 * it through SHA-256, handing each chunk to `onChunk` (to write a copy as it
 * is read). `buffer` is where chunks are read: pass one per concurrent reader
 * to read many files without allocating for each.
 *
 * @internal
 */
export async function digestFile(
  path: string,
  onChunk?: (chunk: Uint8Array) => Promise<void>,
  signal?: AbortSignalLike,
  buffer: Buffer = Buffer.allocUnsafe(CHUNK),
): Promise<FileDigest> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS);
  } catch (error) {
    if (isCode(error, "ELOOP")) return { kind: "symlink" };
    throw error;
  }
  try {
    const stats: Stats = await handle.stat();
    if (!stats.isFile()) return { kind: "special" };
    const hash = createHash("sha256");
    let size = 0;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      if (onChunk !== undefined && bytesRead > 0) await onChunk(chunk);
      size += bytesRead;
      // A regular file reads short only at its end: no extra read to find it.
      if (bytesRead < buffer.length) break;
    }
    return { kind: "file", hash: hash.digest("hex"), size };
  } finally {
    await handle.close();
  }
}

/**
 * Tells whether an error from `node:fs` has this code.
 *
 * @internal
 */
export function isCode(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    codes.includes((error as { readonly code?: unknown }).code as string)
  );
}
