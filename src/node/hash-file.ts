import { createHash } from "node:crypto";
import { readSync } from "node:fs";

/** The size of one read; a buffer of this size is reused across files. */
export const CHUNK: number = 1 << 20;

/** What reading a file gave: its SHA-256 in hex and its size. */
export interface FileDigest {
  readonly hash: string;
  readonly size: number;
}

/**
 * Streams an open file through SHA-256 in chunks of `buffer`'s size, handing
 * each chunk to `onChunk` (to write a copy as it is read). Reads are
 * synchronous: for the many small files a sync sees, a system call costs less
 * than a trip through the thread pool, and the callers yield to the event
 * loop between files.
 *
 * @internal
 */
export function digestFd(
  fd: number,
  buffer: Buffer,
  onChunk?: (chunk: Uint8Array) => void,
): FileDigest {
  const hash = createHash("sha256");
  let size = 0;
  for (;;) {
    const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    if (onChunk !== undefined && bytesRead > 0) onChunk(chunk);
    size += bytesRead;
    // A regular file reads short only at its end: no extra read to find it.
    if (bytesRead < buffer.length) break;
  }
  return { hash: hash.digest("hex"), size };
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

/**
 * Gives the event loop a turn (signals, progress, Ctrl-C) at most every 20 ms
 * of synchronous work: `if (breather.due()) await breather.pause();`.
 *
 * @internal
 */
export class Breather {
  private last = performance.now();

  /** True when 20 ms of work went by since the last pause. */
  due(): boolean {
    return performance.now() - this.last >= 20;
  }

  /** Resolves after one turn of the event loop. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
