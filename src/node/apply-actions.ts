import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import {
  assertSafePath,
  ContentChanged,
  type SyncAction,
  ValidationError,
} from "cosmic-allocation";
import type { AbortSignalLike } from "./abort-signal-like";
import { DestinationFolder } from "./destination-folder";
import { digestFile, type FileDigest } from "./hash-file";

/**
 * What applying a plan did.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation";
 * import { applyActions, hashTree, type ApplySummary } from "cosmic-allocation/node";
 *
 * const [source, dest] = await Promise.all([hashTree("./photos"), hashTree("/backup/photos")]);
 * const plan = determineActions(source.files, dest.files);
 * const summary: ApplySummary = await applyActions(plan, { source: "./photos", dest: "/backup/photos" });
 * const touched = summary.copied + summary.duplicated + summary.moved + summary.deleted;
 * process.stdout.write(`${touched} files changed, ${summary.bytesTransferred} bytes transferred\n`);
 * ```
 */
export interface ApplySummary {
  /** Files copied from the source. */
  readonly copied: number;
  /** Files copied within the destination. */
  readonly duplicated: number;
  /** Files renamed within the destination, temporary names included. */
  readonly moved: number;
  /** Files removed from the destination. */
  readonly deleted: number;
  /** Bytes read from the source and written to the destination. */
  readonly bytesTransferred: number;
}

/**
 * Progress of {@link applyActions}, reported after each action.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation";
 * import { applyActions, hashTree, type ApplyProgress } from "cosmic-allocation/node";
 *
 * const onProgress = ({ done, total, action }: ApplyProgress): void => {
 *   process.stderr.write(`\r${done}/${total} ${action.type}`);
 * };
 * const [source, dest] = await Promise.all([hashTree("./photos"), hashTree("/backup/photos")]);
 * const plan = determineActions(source.files, dest.files);
 * await applyActions(plan, { source: "./photos", dest: "/backup/photos", onProgress });
 * ```
 */
export interface ApplyProgress {
  /** How many actions are done. */
  readonly done: number;
  /** How many actions the plan has. */
  readonly total: number;
  /** The action just done. */
  readonly action: SyncAction;
  /** Bytes copied from the source so far. */
  readonly bytesTransferred: number;
}

/**
 * Where {@link applyActions} reads and writes, and how to follow or stop it.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation";
 * import { applyActions, hashTree, type ApplyOptions } from "cosmic-allocation/node";
 *
 * const options: ApplyOptions = { source: "./photos", dest: "/backup/photos", signal: AbortSignal.timeout(60_000) };
 * const [source, dest] = await Promise.all([hashTree(options.source), hashTree(options.dest)]);
 * await applyActions(determineActions(source.files, dest.files), options);
 * ```
 */
export interface ApplyOptions {
  /** The source folder, read by copies. */
  readonly source: string;
  /** The destination folder, which the plan changes. */
  readonly dest: string;
  /** Stops before the next action (or inside a long copy): the promise rejects with the signal's reason. */
  readonly signal?: AbortSignalLike | undefined;
  /** Called after each action. */
  readonly onProgress?: ((progress: ApplyProgress) => void) | undefined;
}

/**
 * Applies a plan from `determineActions` to real folders, one action at a
 * time, in order:
 * - a copy or duplicate streams the file into a temporary file next to its
 *   target, hashing as it goes, and puts it in place only if the hash is the
 *   planned one;
 * - a move first reads its file and checks the hash, then renames it;
 * - nothing is overwritten: a write whose path is taken fails (an empty folder
 *   there is removed first), and no write goes through a symbolic link;
 * - folders are created as needed, and folders an action leaves empty are removed.
 *
 * Each action leaves the destination whole, so a run stopped at any point (an
 * error, the abort signal, a crash) loses no content the plan keeps: hash,
 * plan and apply again to finish. A crash can leave a `.cosmic-sync-*.part`
 * file, which the next plan deletes like any stray file.
 *
 * @param actions - the plan, as `determineActions` returned it (or parsed back from JSON)
 * @param options - the source and destination folders, a signal, a progress callback
 * @returns counts of what was done and the bytes transferred
 * @throws {@link cosmic-allocation!ContentChanged} when a file no longer holds the planned hash (nothing was done for that action)
 * @throws {@link cosmic-allocation!PathOccupied} when a write's path or one of its folders is taken by something unplanned
 * @throws {@link cosmic-allocation!UnsafePath} or {@link cosmic-allocation!ValidationError} when an action is malformed
 * @throws the signal's reason when aborted, and `node:fs` errors as they come
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation";
 * import { applyActions, hashTree } from "cosmic-allocation/node";
 *
 * const [source, dest] = await Promise.all([hashTree("./photos"), hashTree("/backup/photos")]);
 * const plan = determineActions(source.files, dest.files);
 * const summary = await applyActions(plan, { source: "./photos", dest: "/backup/photos" });
 * console.log(`${summary.copied} copied, ${summary.bytesTransferred} bytes`);
 * ```
 */
export async function applyActions(
  actions: readonly SyncAction[],
  options: ApplyOptions,
): Promise<ApplySummary> {
  const { source, dest, signal, onProgress } = options;
  actions.forEach(assertAction);
  const folder = new DestinationFolder(dest);
  const counts = { copied: 0, duplicated: 0, moved: 0, deleted: 0, bytesTransferred: 0 };
  for (const [index, action] of actions.entries()) {
    signal?.throwIfAborted();
    switch (action.type) {
      case "copy":
        counts.bytesTransferred += await copyInto(
          folder,
          join(source, action.from),
          action,
          "source",
          signal,
        );
        counts.copied += 1;
        break;
      case "duplicate":
        await copyInto(folder, folder.resolve(action.from), action, "dest", signal);
        counts.duplicated += 1;
        break;
      case "move":
        await verify(folder.resolve(action.from), action.from, action.hash, signal);
        await folder.prepare(action.to);
        await folder.rename(action.from, action.to);
        await folder.removeEmptyFolders(action.from);
        counts.moved += 1;
        break;
      case "delete":
        await folder.remove(action.path);
        counts.deleted += 1;
    }
    onProgress?.({
      done: index + 1,
      total: actions.length,
      action,
      bytesTransferred: counts.bytesTransferred,
    });
  }
  return counts;
}

function assertAction(action: unknown, index: number): asserts action is SyncAction {
  const shape = action as Partial<Record<"type" | "from" | "to" | "hash" | "path", unknown>> | null;
  const type = typeof shape === "object" && shape !== null ? shape.type : undefined;
  if (type === "delete") {
    assertSafePath((shape as { path: unknown }).path, "dest");
    return;
  }
  if (type !== "copy" && type !== "duplicate" && type !== "move") {
    throw new ValidationError(
      `actions[${index}]`,
      action,
      "a copy, duplicate, move or delete action",
    );
  }
  const { from, to, hash } = shape as { from: unknown; to: unknown; hash: unknown };
  assertSafePath(from, type === "copy" ? "source" : "dest");
  assertSafePath(to, "dest");
  if (typeof hash !== "string" || hash === "") {
    throw new ValidationError(`actions[${index}].hash`, hash, "a non-empty content hash");
  }
}

/** Reads a file whole and checks it still holds `hash`. */
async function verify(
  absolute: string,
  path: string,
  hash: string,
  signal: AbortSignalLike | undefined,
): Promise<void> {
  expectHash(await digestFile(absolute, undefined, signal), path, "dest", hash);
}

/** Returns the size of a file that was read and holds `expected`; throws {@link cosmic-allocation!ContentChanged} otherwise. */
function expectHash(
  digest: FileDigest,
  path: string,
  side: "source" | "dest",
  expected: string,
): number {
  if (digest.kind !== "file")
    throw new ContentChanged(path, side, expected, `(a ${digest.kind}, not a file)`);
  if (digest.hash !== expected) throw new ContentChanged(path, side, expected, digest.hash);
  return digest.size;
}

/** Streams a file into a temporary file beside `action.to`, checks its hash, and puts it in place; returns its size. */
async function copyInto(
  folder: DestinationFolder,
  absoluteFrom: string,
  action: Extract<SyncAction, { type: "copy" | "duplicate" }>,
  side: "source" | "dest",
  signal: AbortSignalLike | undefined,
): Promise<number> {
  await folder.prepare(action.to);
  const { part, handle } = await folder.createPart(action.to);
  let placed = false;
  try {
    const digest = await digestFile(absoluteFrom, (chunk) => writeAll(handle, chunk), signal);
    await handle.close();
    const size = expectHash(digest, action.from, side, action.hash);
    await folder.rename(part, action.to);
    placed = true;
    return size;
  } finally {
    if (!placed) await discard(folder, part, handle);
  }
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
}

async function discard(folder: DestinationFolder, part: string, handle: FileHandle): Promise<void> {
  await handle.close().catch(() => undefined);
  await folder.remove(part).catch(() => undefined);
}
