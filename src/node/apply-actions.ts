import { mkdirSync, realpathSync } from "node:fs";
import { ValidationError } from "cosmic-allocation";
import { assertSafePath, type BackedUpAction } from "cosmic-allocation/sync";
import type { AbortSignalLike } from "./abort-signal-like";
import { DestinationFolder, type KnownFiles } from "./destination-folder";
import { Breather, CHUNK } from "./hash-file";
import type { FileStat } from "./hash-tree";
import { SafeRoot } from "./safe-root";
import { option, readShellOptions } from "./shell-options";

/**
 * What applying a plan did.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation/sync";
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
  /** Bytes written to the destination: copies and duplicates (a move writes no content). */
  readonly bytesWritten: number;
  /** Files saved into the backup folder (moved there instead of deleted, or linked there before being replaced). */
  readonly backedUp: number;
}

/**
 * A summary of no work, to count into: one place lists every counter.
 *
 * @internal
 */
export function emptySummary(): { -readonly [K in keyof ApplySummary]: number } {
  return {
    copied: 0,
    duplicated: 0,
    moved: 0,
    deleted: 0,
    bytesTransferred: 0,
    bytesWritten: 0,
    backedUp: 0,
  };
}

/**
 * Progress of {@link applyActions}, reported after each action.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation/sync";
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
  readonly action: BackedUpAction;
  /** Bytes copied from the source so far. */
  readonly bytesTransferred: number;
}

/**
 * Where {@link applyActions} reads and writes, and how to follow or stop it.
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation/sync";
 * import { applyActions, hashTree, type ApplyOptions } from "cosmic-allocation/node";
 *
 * const [source, dest] = await Promise.all([hashTree("./photos"), hashTree("/backup/photos")]);
 * const options: ApplyOptions = {
 *   source: "./photos",
 *   dest: "/backup/photos",
 *   sourceStats: source.stats,
 *   destTree: dest,
 *   signal: AbortSignal.timeout(60_000),
 * };
 * await applyActions(determineActions(source.files, dest.files), options);
 * ```
 */
export interface ApplyOptions {
  /** The source folder, read by copies. */
  readonly source: string;
  /** The destination folder, which the plan changes. */
  readonly dest: string;
  /** Stops before the next action: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignalLike | undefined;
  /** Called after each action. */
  readonly onProgress?: ((progress: ApplyProgress) => void) | undefined;
  /**
   * The source files' stats, as {@link hashTree} gives them: a duplicated or
   * moved file then gets the mode and modification time of the source file
   * at its path. (A copy always takes them from the file it reads.)
   */
  readonly sourceStats?: ReadonlyMap<string, FileStat> | undefined;
  /**
   * The destination as {@link hashTree} read it for the plan: a file whose
   * stats are unchanged since then, and that had not changed for 2 s before,
   * is known to hold its hash without being read again.
   */
  readonly destTree?: KnownFiles | undefined;
  /**
   * The folder where the `backup` actions of a plan from `withBackups` save
   * files, each at its relative path; required when the plan has any. It must
   * be outside the source and the destination. Created if missing.
   */
  readonly backupDir?: string | undefined;
}

/**
 * Applies a plan from `determineActions` to real folders, one action at a
 * time, in order, and checks before each what the plan expects to find:
 * - every file an action reads holds the planned `hash`; a target holds
 *   nothing (`replaces: null`) or the stale file with hash `replaces`; a
 *   deleted file holds the `hash` the delete names. Otherwise the action
 *   refuses with `ContentChanged` and changes nothing;
 * - a copy or duplicate streams into a temporary file next to its target,
 *   hashing as it goes, gives it the source's mode and modification time, and
 *   puts it in place only if the hash is the planned one: by a hard link when
 *   the target must be free (which fails rather than overwrite), by a rename
 *   over the stale file otherwise, so the path is never missing;
 * - no action reads, writes or deletes through a symbolic link, anywhere in
 *   its path, even one that appeared after planning;
 * - the folders of every write are made first, in plan order (as rsync's
 *   generator does ahead of its receiver; see docs/sync.md for why it
 *   matters), except one that something in the way stops, which its write
 *   meets in its turn; folders an action leaves empty are removed, and so are
 *   the folders made ahead that a stopped run left empty.
 *
 * Each action leaves the destination whole, so a run stopped at any point (an
 * error, the abort signal, a crash) loses no content the plan keeps: hash,
 * plan and apply again to finish. A crash can leave a `.cosmic-sync-*.part`
 * file, which the next plan deletes like any stray file.
 *
 * @param actions - the plan, as `determineActions` returned it (or parsed back from JSON)
 * @param options - the source and destination folders, what is known of them, a signal, a progress callback
 * @returns counts of what was done and the bytes transferred
 * @throws {@link cosmic-allocation/sync!ContentChanged} when a file does not hold what the plan expects (nothing was done for that action)
 * @throws {@link cosmic-allocation/sync!PathOccupied} when a path or one of its folders is taken by something unplanned: a link, a folder, a special file
 * @throws {@link cosmic-allocation/sync!UnsafePath} or {@link cosmic-allocation!ValidationError} when an action is malformed, or {@link cosmic-allocation!ValidationError} when an option is missing or not of its type (before anything is done)
 * @throws the signal's reason when aborted, and `node:fs` errors as they come
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation/sync";
 * import { applyActions, hashTree } from "cosmic-allocation/node";
 *
 * const [source, dest] = await Promise.all([hashTree("./photos"), hashTree("/backup/photos")]);
 * const plan = determineActions(source.files, dest.files);
 * const summary = await applyActions(plan, { source: "./photos", dest: "/backup/photos" });
 * console.log(`${summary.copied} copied, ${summary.bytesTransferred} bytes`);
 * ```
 */
export async function applyActions(
  actions: readonly BackedUpAction[],
  options: ApplyOptions,
): Promise<ApplySummary> {
  if (!Array.isArray(actions)) throw new ValidationError("actions", actions, "an array of actions");
  const read: Partial<ApplyOptions> = readShellOptions(options, {
    source: option.path,
    dest: option.path,
    signal: option.signal,
    onProgress: option.callback,
    sourceStats: option.map,
    destTree: option.tree,
    backupDir: option.path,
  });
  const { signal, onProgress, sourceStats, destTree, backupDir } = read;
  if (read.source === undefined)
    throw new ValidationError("options.source", undefined, "a non-empty path");
  if (read.dest === undefined)
    throw new ValidationError("options.dest", undefined, "a non-empty path");
  actions.forEach(assertAction);
  const backup = openBackup(actions, backupDir);
  const source = SafeRoot.at(realpathSync(read.source));
  const folder = new DestinationFolder(SafeRoot.at(realpathSync(read.dest)), destTree);
  const buffer = Buffer.allocUnsafe(CHUNK);
  const breather = new Breather();
  const counts = emptySummary();
  let finished = false;
  try {
    folder.makeFoldersAhead(writeTargets(actions));
    for (const [index, action] of actions.entries()) {
      signal?.throwIfAborted();
      // A root swapped for a link since it was resolved stops the run.
      folder.root.checkRoot();
      if (action.type === "copy") source.checkRoot();
      switch (action.type) {
        case "copy": {
          const size = folder.copy(source, action, "source", buffer, undefined);
          counts.bytesTransferred += size;
          counts.bytesWritten += size;
          counts.copied += 1;
          break;
        }
        case "duplicate":
          counts.bytesWritten += folder.copy(
            folder.root,
            action,
            "dest",
            buffer,
            sourceStats?.get(action.to),
          );
          counts.duplicated += 1;
          break;
        case "move":
          folder.move(action, buffer, sourceStats?.get(action.to));
          counts.moved += 1;
          break;
        case "delete":
          folder.remove(action.path, action.hash, buffer);
          counts.deleted += 1;
          break;
        case "backup":
          (backup as SafeRoot).checkRoot();
          folder.backup(action, backup as SafeRoot, buffer);
          counts.backedUp += 1;
      }
      onProgress?.({
        done: index + 1,
        total: actions.length,
        action,
        bytesTransferred: counts.bytesTransferred,
      });
      if (breather.due()) await breather.pause();
    }
    finished = true;
  } finally {
    try {
      if (finished) folder.sweep();
      else folder.removeUnusedFolders();
    } finally {
      folder.root.close();
      source.close();
      backup?.close();
    }
  }
  return counts;
}

/** Where the plan writes: the `to` of its copies, duplicates and moves, in plan order. */
function* writeTargets(actions: readonly BackedUpAction[]): Iterable<string> {
  for (const action of actions) {
    if (action.type === "copy" || action.type === "duplicate" || action.type === "move") {
      yield action.to;
    }
  }
}

function openBackup(
  actions: readonly BackedUpAction[],
  backupDir: string | undefined,
): SafeRoot | undefined {
  if (!actions.some((action) => action.type === "backup")) return undefined;
  // An empty path was refused with the other options.
  if (backupDir === undefined) {
    throw new ValidationError("backupDir", backupDir, "a folder, for the plan's backup actions");
  }
  mkdirSync(backupDir, { recursive: true });
  return SafeRoot.at(realpathSync(backupDir));
}

function assertAction(action: unknown, index: number): asserts action is BackedUpAction {
  const shape = action as Partial<
    Record<"type" | "from" | "to" | "hash" | "path" | "replaces", unknown>
  > | null;
  const type = typeof shape === "object" && shape !== null ? shape.type : undefined;
  if (
    type !== "copy" &&
    type !== "duplicate" &&
    type !== "move" &&
    type !== "delete" &&
    type !== "backup"
  ) {
    throw new ValidationError(
      `actions[${index}]`,
      action,
      "a copy, duplicate, move, delete or backup action",
    );
  }
  const { from, to, path, hash, replaces, mode } = shape as Record<string, unknown>;
  if (type === "backup") {
    assertSafePath(path, "dest");
    assertHash(hash, `actions[${index}].hash`);
    if (mode !== "move" && mode !== "copy") {
      throw new ValidationError(`actions[${index}].mode`, mode, '"move" or "copy"');
    }
    return;
  }
  if (type === "delete") {
    assertSafePath(path, "dest");
    assertHash(hash, `actions[${index}].hash`);
    return;
  }
  assertSafePath(from, type === "copy" ? "source" : "dest");
  assertSafePath(to, "dest");
  assertHash(hash, `actions[${index}].hash`);
  if (replaces !== null) assertHash(replaces, `actions[${index}].replaces`, "or null");
}

function assertHash(hash: unknown, field: string, or = ""): void {
  if (typeof hash !== "string" || hash === "") {
    throw new ValidationError(field, hash, `a non-empty content hash${or === "" ? "" : ` ${or}`}`);
  }
}
