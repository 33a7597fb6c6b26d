import { lstatSync, mkdirSync, realpathSync } from "node:fs";
import { ValidationError } from "cosmic-allocation";
import {
  type BackedUpAction,
  createPathFilter,
  type DetermineActionsOptions,
  determineActions,
  type PathFilter,
  PathOccupied,
  withBackups,
} from "cosmic-allocation/sync";
import { DeleteLimitExceeded } from "../errors/delete-limit-exceeded";
import type { AbortSignalLike } from "./abort-signal-like";
import { type ApplySummary, applyActions, emptySummary } from "./apply-actions";
import { DestinationFolder, keptMode, sameTime } from "./destination-folder";
import { defaultCacheFolder } from "./hash-cache";
import { isCode } from "./hash-file";
import { hashInWorker, hashWorker, type TreeInWorker, workerIsIdle } from "./hash-in-worker";
import {
  columnsOf,
  type FileStat,
  type HashedTree,
  hashTree,
  type SkippedEntry,
  STAT_COLUMNS,
  statAt,
  treeOf,
} from "./hash-tree";
import { resolveFuturePath } from "./resolve-future-path";
import { SafeRoot } from "./safe-root";
import { assertFolderPath, option, readShellOptions } from "./shell-options";

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
 * Options of {@link syncDirectories}: how the destination compares names, the guards, and how to run.
 *
 * @example
 * ```ts
 * import { syncDirectories, type SyncOptions } from "cosmic-allocation/node";
 *
 * const options: SyncOptions = { dryRun: true, caseInsensitive: true, unicode: "nfc", maxDelete: "10%" };
 * const { actions } = await syncDirectories("./photos", "/Volumes/backup/photos", options);
 * process.stdout.write(`${actions.length} actions planned, nothing changed\n`);
 * ```
 */
export interface SyncOptions extends DetermineActionsOptions {
  /** Plan only: hash both folders and return the plan, changing nothing; refuses what the real run would refuse. */
  readonly dryRun?: boolean | undefined;
  /** Called as files are hashed and as actions are applied. */
  readonly onProgress?: ((progress: SyncProgress) => void) | undefined;
  /** Stops the sync: the promise rejects with the signal's reason, and running again later finishes the job. */
  readonly signal?: AbortSignalLike | undefined;
  /**
   * At most this many files deleted (a count), or this share of the
   * destination's files (`"10%"`); replaced files do not count. Checked on the
   * whole plan before anything changes. No limit by default.
   */
  readonly maxDelete?: number | `${number}%` | undefined;
  /** Allow deleting every file of a non-empty destination when the source is empty (refused by default). */
  readonly force?: boolean | undefined;
  /**
   * The folder where file hashes are kept between runs (outside both trees),
   * or `false` for none: `$XDG_CACHE_HOME/cosmic-sync` or `~/.cache/cosmic-sync`
   * by default. A cache inside either tree is not used.
   */
  readonly cache?: string | false | undefined;
  /** Read and hash every file, trusting no cached hash. */
  readonly checksum?: boolean | undefined;
  /**
   * Keep what the sync deletes or replaces: each such file is moved (or, when
   * replaced, hard-linked) into this folder at its own relative path, as
   * rsync's `--backup-dir` does. It must be outside both trees; it is created
   * if missing, and an older backup at the same path is replaced.
   */
  readonly backupDir?: string | undefined;
}

/**
 * The entries of both folders that a sync left alone: symbolic links, special files, refused names, unreadable entries.
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
  /** The plan that was applied, or would be (with `backup` actions when `backupDir` is set). */
  readonly actions: readonly BackedUpAction[];
  /** Files whose content already matched and whose mode or modification time was set (or would be). */
  readonly updated: number;
  /** Entries of either folder that are not regular files, or could not be read, left alone: never copied, followed or deleted. */
  readonly skipped: SkippedEntries;
  /** False when an entry could not be read: it and whatever stands at its path on the other side were left out, and the rest synced. */
  readonly complete: boolean;
}

/**
 * Makes `dest` a mirror of the regular files of `source`, with their modes and
 * modification times: hashes both folders (reusing cached hashes of files
 * whose stats are unchanged; the destination on a worker thread, at the same
 * time as the source, once the source walk has run 150 ms, or at once when a
 * worker of an earlier sync is idle), plans with `determineActions`, checks the plan
 * against the guards, and applies it with {@link applyActions}. A file whose
 * content already matches but whose mode or time differs gets them set. The
 * destination is created if missing.
 *
 * Only regular files are mirrored. Symbolic links and special files are
 * reported in `skipped` on both sides and left alone; a plan that would write
 * where one of them stands is refused before anything changes. A file or
 * folder that cannot be read is reported in `skipped` (and `complete` is
 * false): it, and whatever the other side holds at its path, are left as they
 * are, and the rest syncs.
 *
 * Interrupted at any point (an error, the abort signal, a crash), the
 * destination holds all the content it held that the source still needs, and
 * running the sync again finishes the job.
 *
 * @param source - the folder to mirror
 * @param dest - the folder to change; it must not be inside `source`, nor contain it, however it is spelled
 * @param options - `dryRun`, the guards, the cache, `onProgress`, `signal`, and the options of `determineActions`
 * @returns what was done (or would be): counts, bytes, the plan, and what was skipped
 * @throws {@link cosmic-allocation!ValidationError} when the folders overlap, `source` is not a folder, `dest` is not one and cannot be made, or an option is invalid
 * @throws {@link DeleteLimitExceeded} when the plan deletes more than `maxDelete`, or empties the destination from an empty source without `force`
 * @throws {@link cosmic-allocation/sync!PathOccupied} when the plan would write where a link or special file stands
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
  const {
    dryRun = false,
    onProgress,
    signal,
    maxDelete,
    force = false,
    cache,
    checksum = false,
    backupDir,
    ...planning
  } = readShellOptions(options, {
    dryRun: option.boolean,
    onProgress: option.callback,
    signal: option.signal,
    force: option.boolean,
    cache: option.cache,
    checksum: option.boolean,
    // Checked below, each where it is used, with its own message.
    maxDelete: option.any,
    backupDir: option.any,
    caseInsensitive: option.any,
    unicode: option.any,
    exclude: option.any,
    include: option.any,
  });
  // The planner checks its own options, here on two empty trees: a bad one is
  // refused before a tree is read or a folder made.
  determineActions({}, {}, planning);
  const { sourceRoot, destRoot, destExists } = resolveFolders(source, dest);
  const backupRoot = resolveBackup(backupDir, sourceRoot, destRoot);
  const limit = readMaxDelete(maxDelete);
  const cacheFolder = chooseCache(cache, sourceRoot, destRoot);

  let filesHashed = 0;
  let bytesHashed = 0;
  // Files hashed here come one at a time, those hashed on the worker in batches.
  const onFiles = (files: number, bytes: number): void => {
    filesHashed += files;
    bytesHashed += bytes;
    onProgress?.({ phase: "hashing", filesHashed, bytesHashed });
  };
  const onFile = (_: string, size: number): void => onFiles(1, size);
  const filter = createPathFilter({
    ...(planning.exclude === undefined ? {} : { exclude: planning.exclude }),
    ...(planning.include === undefined ? {} : { include: planning.include }),
  });
  const hashing = { signal, onFile, cache: cacheFolder, checksum };
  // The destination is hashed at the same time on a worker thread (two cores,
  // as rsync's sender and receiver have) once the source walk proves long
  // enough to pay for starting one, or at once when one is idle.
  let destInWorker: TreeInWorker | undefined;
  let workerTried = !destExists;
  const walkStarted = performance.now();
  const startWorker = (): void => {
    workerTried = true;
    destInWorker = hashInWorker(destRoot, {
      cache: cacheFolder,
      checksum,
      signal,
      onFiles,
    });
  };
  if (!workerTried && workerIsIdle()) startWorker();
  const onSourceFile = (path: string, size: number): void => {
    onFile(path, size);
    if (!workerTried && performance.now() - walkStarted >= hashWorker.startAfterMs) startWorker();
  };
  let sourceTree: HashedTree;
  let destTree: HashedTree;
  try {
    // Excluded source files are not even read; excluded destination files are
    // read, because the planner must see what they stand in the way of.
    sourceTree = await hashTree(sourceRoot, { ...hashing, onFile: onSourceFile, filter });
    destTree =
      destInWorker !== undefined
        ? await destInWorker.tree
        : destExists
          ? await hashTree(destRoot, hashing)
          : emptyTree();
  } finally {
    destInWorker?.stop();
  }
  const skipped = { source: sourceTree.skipped, dest: destTree.skipped };
  const blocked = [...skipped.source, ...skipped.dest].filter(
    (entry) => entry.kind === "unreadable",
  );
  const sourceFiles = leaveAlone(sourceTree.files, blocked);
  const destFiles = leaveAlone(destTree.files, blocked);

  const plan = alreadyMirrored(sourceFiles, destFiles, planning)
    ? []
    : determineActions(sourceFiles, destFiles, planning);
  const actions: readonly BackedUpAction[] = backupRoot === undefined ? plan : withBackups(plan);
  checkDeletes(actions, sourceFiles.size, destFiles.size, limit, force);
  checkWritesFit(actions, skipped.dest);
  const touchUps = metadataToFix(actions, sourceFiles, destFiles, sourceTree, destTree, filter);
  const complete = blocked.length === 0;

  if (dryRun) {
    return {
      dryRun,
      actions,
      skipped,
      complete,
      updated: touchUps.length,
      ...countPlan(actions, sourceTree),
    };
  }
  if (!destExists) makeFolder(dest, destRoot);
  const summary = await applyActions(actions, {
    source: sourceRoot,
    dest: destRoot,
    signal,
    // Read only when an action needs it: a plan with nothing to do builds no map of stats.
    sourceStats: actions.length === 0 ? undefined : sourceTree.stats,
    destTree,
    backupDir: backupRoot,
    onProgress: ({ done, total, bytesTransferred }) =>
      onProgress?.({ phase: "applying", actionsDone: done, actionsTotal: total, bytesTransferred }),
  });
  const folder = new DestinationFolder(SafeRoot.at(destRoot), undefined);
  try {
    for (const [path, stat] of touchUps) {
      signal?.throwIfAborted();
      folder.root.checkRoot();
      folder.setMetadata(path, stat);
    }
  } finally {
    folder.root.close();
  }
  return { dryRun, actions, skipped, complete, updated: touchUps.length, ...summary };
}

function resolveFolders(
  source: string,
  dest: string,
): { sourceRoot: string; destRoot: string; destExists: boolean } {
  assertFolderPath("source", source);
  assertFolderPath("dest", dest);
  let sourceRoot: string;
  try {
    sourceRoot = realpathSync(source);
  } catch {
    throw new ValidationError("source", source, "an existing folder");
  }
  if (!lstatSync(sourceRoot).isDirectory())
    throw new ValidationError("source", source, "an existing folder");
  let destRoot: string;
  try {
    destRoot = resolveFuturePath(dest);
  } catch (error) {
    /* v8 ignore next -- @preserve: lstat and readlink fail otherwise only on I/O errors */
    if (!isCode(error, "ELOOP")) throw error;
    throw new ValidationError("dest", dest, "a path without a loop of symbolic links");
  }
  let found: ReturnType<typeof lstatSync> | undefined;
  try {
    found = lstatSync(destRoot, { throwIfNoEntry: false });
  } catch (error) {
    /* v8 ignore next -- @preserve: resolveFuturePath already stopped at a file on the way */
    if (!isCode(error, "ENOTDIR")) throw error;
    throw new ValidationError("dest", dest, "a folder, or a path where one can be made");
  }
  if (found !== undefined && !found.isDirectory()) {
    throw new ValidationError("dest", dest, "a folder, or a path where one can be made");
  }
  const inside = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(outer === "/" ? "/" : `${outer}/`);
  if (inside(destRoot, sourceRoot) || inside(sourceRoot, destRoot)) {
    throw new ValidationError(
      "dest",
      dest,
      "a folder outside the source folder, not containing it",
    );
  }
  return { sourceRoot, destRoot, destExists: found !== undefined };
}

/** Makes the destination, then checks no link was put on its way meanwhile. */
function makeFolder(dest: string, destRoot: string): void {
  try {
    mkdirSync(destRoot, { recursive: true });
  } catch (error) {
    /* v8 ignore next 3 -- @preserve: a file put on the way after the checks */
    if (isCode(error, "ENOTDIR", "EEXIST")) {
      throw new ValidationError("dest", dest, "a folder, or a path where one can be made");
    }
    throw error;
  }
  /* v8 ignore next 3 -- @preserve: a link put on the way while the folder was made */
  if (realpathSync(destRoot) !== destRoot) {
    throw new ValidationError("dest", dest, "a folder whose path did not change while it was made");
  }
}

function resolveBackup(
  backupDir: string | undefined,
  sourceRoot: string,
  destRoot: string,
): string | undefined {
  if (backupDir === undefined) return undefined;
  assertFolderPath("backupDir", backupDir);
  const root = resolveFuturePath(backupDir);
  const overlaps = (a: string, b: string) =>
    a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  if (overlaps(root, sourceRoot) || overlaps(root, destRoot)) {
    throw new ValidationError(
      "backupDir",
      backupDir,
      "a folder outside the source and the destination",
    );
  }
  return root;
}

function readMaxDelete(
  maxDelete: SyncOptions["maxDelete"],
): ((destFiles: number) => number) | undefined {
  if (maxDelete === undefined) return undefined;
  if (typeof maxDelete === "number" && Number.isSafeInteger(maxDelete) && maxDelete >= 0) {
    return () => maxDelete;
  }
  const percent = typeof maxDelete === "string" ? /^(\d+(?:\.\d+)?)%$/.exec(maxDelete) : null;
  if (percent !== null && Number(percent[1]) <= 100) {
    const share = Number(percent[1]) / 100;
    return (destFiles) => Math.floor(destFiles * share);
  }
  throw new ValidationError(
    "maxDelete",
    maxDelete,
    'a whole number of files, or a percentage such as "10%"',
  );
}

function chooseCache(
  cache: SyncOptions["cache"],
  sourceRoot: string,
  destRoot: string,
): string | undefined {
  if (cache === false) return undefined;
  const folder = resolveFuturePath(cache ?? defaultCacheFolder());
  const within = (root: string) => folder === root || folder.startsWith(`${root}/`);
  return within(sourceRoot) || within(destRoot) ? undefined : folder;
}

function checkDeletes(
  actions: readonly BackedUpAction[],
  sourceFiles: number,
  destFiles: number,
  limit: ((destFiles: number) => number) | undefined,
  force: boolean,
): void {
  let deletes = 0;
  for (const action of actions) {
    if (action.type === "delete" || (action.type === "backup" && action.mode === "move"))
      deletes += 1;
  }
  if (!force && sourceFiles === 0 && destFiles > 0 && deletes === destFiles) {
    throw new DeleteLimitExceeded(deletes, 0, "empty-source");
  }
  const allowed = limit?.(destFiles);
  if (allowed !== undefined && deletes > allowed)
    throw new DeleteLimitExceeded(deletes, allowed, "max-delete");
}

/**
 * Refuses, before anything changes, a plan that writes where a link or a
 * special file of the destination stands, or below one, or over a folder
 * holding one: the run would stop there with `PathOccupied`.
 */
function checkWritesFit(
  actions: readonly BackedUpAction[],
  skipped: readonly SkippedEntry[],
): void {
  const standing = new Map<string, SkippedEntry["kind"]>();
  const holders = new Set<string>();
  for (const entry of skipped) {
    if (entry.kind !== "symlink" && entry.kind !== "special") continue;
    standing.set(entry.path, entry.kind);
    for (let end = entry.path.indexOf("/"); end !== -1; end = entry.path.indexOf("/", end + 1)) {
      holders.add(entry.path.slice(0, end));
    }
  }
  if (standing.size === 0) return;
  for (const action of actions) {
    if (action.type === "delete" || action.type === "backup") continue;
    const to = action.to;
    if (holders.has(to)) throw new PathOccupied(to, "directory");
    for (let end = to.indexOf("/"); ; end = to.indexOf("/", end + 1)) {
      const prefix = end === -1 ? to : to.slice(0, end);
      const kind = standing.get(prefix);
      if (kind !== undefined)
        throw new PathOccupied(prefix, kind === "symlink" ? "symlink" : "special");
      if (end === -1) break;
    }
  }
}

/** Drops from a tree every path at, below or above an unreadable entry: what stands there is left alone. */
function leaveAlone(
  files: Map<string, string>,
  blocked: readonly SkippedEntry[],
): Map<string, string> {
  if (blocked.length === 0) return files;
  const exact = new Set(blocked.map((entry) => entry.path));
  const above = new Set<string>();
  for (const { path } of blocked) {
    for (let end = path.indexOf("/"); end !== -1; end = path.indexOf("/", end + 1))
      above.add(path.slice(0, end));
  }
  const kept = new Map<string, string>();
  for (const [path, hash] of files) {
    let drop = exact.has(path) || above.has(path);
    for (let end = path.indexOf("/"); !drop && end !== -1; end = path.indexOf("/", end + 1)) {
      drop = exact.has(path.slice(0, end));
    }
    if (!drop) kept.set(path, hash);
  }
  return kept;
}

/**
 * The files the plan leaves in place whose content matches but whose mode or
 * modification time does not. Both trees list their files in code-unit order
 * of their paths, so one pass over each pairs them.
 */
function metadataToFix(
  actions: readonly BackedUpAction[],
  sourceFiles: ReadonlyMap<string, string>,
  destFiles: ReadonlyMap<string, string>,
  sourceTree: HashedTree,
  destTree: HashedTree,
  filter: PathFilter,
): [string, FileStat][] {
  const touched = new Set<string>();
  for (const action of actions) {
    if (action.type === "delete" || action.type === "backup") touched.add(action.path);
    else {
      touched.add(action.to);
      if (action.type === "move") touched.add(action.from);
    }
  }
  const source = columnsOf(sourceTree);
  const dest = columnsOf(destTree);
  const fixes: [string, FileStat][] = [];
  let j = 0;
  source.paths.forEach((path, i) => {
    while (j < dest.paths.length && (dest.paths[j] as string) < path) j += 1;
    if (dest.paths[j] !== path) return;
    const hash = sourceFiles.get(path);
    if (hash === undefined || destFiles.get(path) !== hash || touched.has(path)) return;
    if (!filter.empty && filter.excludesFile(path)) return;
    // Mode and modification time, read from the columns: no object per file.
    const wanted = i * STAT_COLUMNS;
    const found = j * STAT_COLUMNS;
    if (
      keptMode(source.numbers[wanted + 1] as number) !==
        keptMode(dest.numbers[found + 1] as number) ||
      !sameTime(source.numbers[wanted + 2] as number, dest.numbers[found + 2] as number)
    ) {
      fixes.push([path, statAt(source, i)]);
    }
  });
  return fixes;
}

/**
 * Whether the destination already holds every file of the source, at the
 * same path with the same content, and nothing else: then every plan is
 * empty (nothing to write, nothing to remove), and a run with nothing to do
 * is spared the planner. Only without the options that make the planner
 * compare names otherwise or leave paths out, which it must see to check.
 */
function alreadyMirrored(
  source: ReadonlyMap<string, string>,
  dest: ReadonlyMap<string, string>,
  planning: DetermineActionsOptions,
): boolean {
  const { caseInsensitive, unicode, exclude, include } = planning;
  if (caseInsensitive !== undefined || unicode !== undefined) return false;
  if (exclude !== undefined || include !== undefined) return false;
  if (source.size !== dest.size) return false;
  // Both trees list their files in code-unit order of their paths.
  const theirs = dest.entries();
  for (const [path, hash] of source) {
    const [otherPath, otherHash] = theirs.next().value as [string, string];
    if (path !== otherPath || hash !== otherHash) return false;
  }
  return true;
}

function emptyTree(): HashedTree {
  return treeOf(new Map(), { paths: [], numbers: new Float64Array(0) }, [], 0, Date.now());
}

function countPlan(actions: readonly BackedUpAction[], source: HashedTree): ApplySummary {
  const counts = emptySummary();
  for (const action of actions) {
    if (action.type === "copy") {
      const size = source.sizes.get(action.from) as number;
      counts.copied += 1;
      counts.bytesTransferred += size;
      counts.bytesWritten += size;
    } else if (action.type === "duplicate") {
      counts.duplicated += 1;
      counts.bytesWritten += source.sizes.get(action.to) as number;
    } else if (action.type === "move") counts.moved += 1;
    else if (action.type === "backup") counts.backedUp += 1;
    else counts.deleted += 1;
  }
  return counts;
}
