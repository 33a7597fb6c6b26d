import { mkdir, realpath, stat } from "node:fs/promises";
import { resolve, sep } from "node:path";
import {
  type DetermineActionsOptions,
  determineActions,
  type SyncAction,
  ValidationError,
} from "cosmic-allocation";
import type { AbortSignalLike } from "./abort-signal-like";
import { type ApplySummary, applyActions } from "./apply-actions";
import { isCode } from "./hash-file";
import { type HashedTree, hashTree, type SkippedEntry } from "./hash-tree";

/**
 * Progress of {@link syncDirectories}: first both trees are hashed, then the plan is applied.
 *
 * @example
 * ```ts
 * import { syncDirectories, type SyncProgress } from "cosmic-allocation/node";
 *
 * const show = (progress: SyncProgress): void => {
 *   const text =
 *     progress.phase === "hashing"
 *       ? `hashed ${progress.filesHashed} files`
 *       : `${progress.actionsDone}/${progress.actionsTotal} actions`;
 *   process.stderr.write(`\r${text}`);
 * };
 * await syncDirectories("./photos", "/backup/photos", { onProgress: show });
 * ```
 */
export type SyncProgress =
  | {
      /** Both folders are being read and hashed. */
      readonly phase: "hashing";
      /** Files hashed so far, in both folders. */
      readonly filesHashed: number;
      /** Bytes hashed so far. */
      readonly bytesHashed: number;
    }
  | {
      /** The plan is being applied. */
      readonly phase: "applying";
      /** Actions done so far. */
      readonly actionsDone: number;
      /** Actions in the plan. */
      readonly actionsTotal: number;
      /** Bytes copied from the source so far. */
      readonly bytesTransferred: number;
    };

/**
 * Options of {@link syncDirectories}: how the destination compares names, and how to run.
 *
 * @example
 * ```ts
 * import { syncDirectories, type SyncOptions } from "cosmic-allocation/node";
 *
 * const options: SyncOptions = { dryRun: true, caseInsensitive: true, unicode: "nfc" };
 * const { actions } = await syncDirectories("./photos", "/Volumes/backup/photos", options);
 * process.stdout.write(`${actions.length} actions planned, nothing changed\n`);
 * ```
 */
export interface SyncOptions extends DetermineActionsOptions {
  /** Plan only: hash both folders and return the plan, changing nothing. */
  readonly dryRun?: boolean | undefined;
  /** Called as files are hashed and as actions are applied. */
  readonly onProgress?: ((progress: SyncProgress) => void) | undefined;
  /** Stops the sync: the promise rejects with the signal's reason, and running again later finishes the job. */
  readonly signal?: AbortSignalLike | undefined;
}

/**
 * The entries of both folders that a sync left alone: symbolic links, special files, refused names.
 *
 * @example
 * ```ts
 * import { syncDirectories, type SkippedEntries } from "cosmic-allocation/node";
 *
 * const summary = await syncDirectories("./photos", "/backup/photos");
 * const skipped: SkippedEntries = summary.skipped;
 * for (const entry of skipped.source) console.warn(`not copied: ${entry.path} (${entry.kind})`);
 * for (const entry of skipped.dest) console.warn(`left alone: ${entry.path} (${entry.kind})`);
 * ```
 */
export interface SkippedEntries {
  /** Skipped in the source: not copied. */
  readonly source: readonly SkippedEntry[];
  /** Skipped in the destination: left where they are. */
  readonly dest: readonly SkippedEntry[];
}

/**
 * What a sync did, or would do in a dry run.
 *
 * @example
 * ```ts
 * import { syncDirectories, type SyncSummary } from "cosmic-allocation/node";
 *
 * const summary: SyncSummary = await syncDirectories("./photos", "/backup/photos", { dryRun: true });
 * for (const action of summary.actions) process.stdout.write(`${JSON.stringify(action)}\n`);
 * process.stdout.write(`would copy ${summary.copied} files (${summary.bytesTransferred} bytes)\n`);
 * ```
 */
export interface SyncSummary extends ApplySummary {
  /** True when nothing was changed. */
  readonly dryRun: boolean;
  /** The plan that was applied, or would be. */
  readonly actions: readonly SyncAction[];
  /** Entries of either folder that are not regular files, left alone: never copied, followed or deleted. */
  readonly skipped: SkippedEntries;
}

/**
 * Makes `dest` a mirror of the regular files of `source`: hashes both
 * folders, plans with `determineActions`, and applies the plan with
 * {@link applyActions}. The destination is created if missing.
 *
 * Only regular files are mirrored. Symbolic links and special files are
 * reported in `skipped` on both sides and left alone; a file the plan would
 * write over one of them makes the sync fail rather than replace it.
 *
 * Interrupted at any point (an error, the abort signal, a crash), the
 * destination holds all the content it held that the source still needs, and
 * running the sync again finishes the job.
 *
 * @param source - the folder to mirror
 * @param dest - the folder to change; it must not be inside `source`, nor contain it
 * @param options - `dryRun`, `onProgress`, `signal`, and the naming options of `determineActions`
 * @returns what was done (or would be): counts, bytes, the plan, and what was skipped
 * @throws {@link cosmic-allocation!ValidationError} when the folders overlap or `source` is not a folder
 * @throws whatever `determineActions` and {@link applyActions} throw, and the signal's reason when aborted
 *
 * @example
 * ```ts
 * import { syncDirectories } from "cosmic-allocation/node";
 *
 * const controller = new AbortController();
 * const summary = await syncDirectories("./photos", "/backup/photos", {
 *   signal: controller.signal,
 *   onProgress: (progress) => {
 *     if (progress.phase === "applying") console.log(`${progress.actionsDone}/${progress.actionsTotal}`);
 *   },
 * });
 * console.log(`${summary.copied} copied, ${summary.moved} moved, ${summary.deleted} deleted`);
 * ```
 */
export async function syncDirectories(
  source: string,
  dest: string,
  options: SyncOptions = {},
): Promise<SyncSummary> {
  const { dryRun = false, onProgress, signal, ...naming } = options;
  const sourceRoot = resolve(source);
  const destRoot = resolve(dest);
  await assertSeparate(sourceRoot, destRoot);

  let filesHashed = 0;
  let bytesHashed = 0;
  const onFile = (_: string, size: number): void => {
    filesHashed += 1;
    bytesHashed += size;
    onProgress?.({ phase: "hashing", filesHashed, bytesHashed });
  };
  const destExists = await isFolder(destRoot);
  const [sourceTree, destTree] = await Promise.all([
    hashTree(sourceRoot, { signal, onFile }),
    destExists ? hashTree(destRoot, { signal, onFile }) : emptyTree(),
  ]);
  const actions = determineActions(sourceTree.files, destTree.files, naming);
  const skipped = { source: sourceTree.skipped, dest: destTree.skipped };

  if (dryRun) return { dryRun, actions, skipped, ...countPlan(actions, sourceTree) };
  if (!destExists) await mkdir(destRoot, { recursive: true });
  const summary = await applyActions(actions, {
    source: sourceRoot,
    dest: destRoot,
    signal,
    onProgress: ({ done, total, bytesTransferred }) =>
      onProgress?.({ phase: "applying", actionsDone: done, actionsTotal: total, bytesTransferred }),
  });
  return { dryRun, actions, skipped, ...summary };
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (isCode(error, "ENOENT")) return false;
    throw error;
  }
}

async function assertSeparate(source: string, dest: string): Promise<void> {
  if (!(await isFolder(source))) throw new ValidationError("source", source, "an existing folder");
  const real = async (path: string): Promise<string> => {
    try {
      return await realpath(path);
    } catch {
      return path;
    }
  };
  const [a, b] = await Promise.all([real(source), real(dest)]);
  const inside = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + sep);
  if (inside(a, b) || inside(b, a)) {
    throw new ValidationError(
      "dest",
      dest,
      "a folder outside the source folder, not containing it",
    );
  }
}

function emptyTree(): HashedTree {
  return { files: new Map(), sizes: new Map(), skipped: [], bytes: 0 };
}

function countPlan(actions: readonly SyncAction[], source: HashedTree): ApplySummary {
  const counts = { copied: 0, duplicated: 0, moved: 0, deleted: 0, bytesTransferred: 0 };
  for (const action of actions) {
    if (action.type === "copy") {
      counts.copied += 1;
      counts.bytesTransferred += source.sizes.get(action.from) ?? 0;
    } else if (action.type === "duplicate") counts.duplicated += 1;
    else if (action.type === "move") counts.moved += 1;
    else counts.deleted += 1;
  }
  return counts;
}
