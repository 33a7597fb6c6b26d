/**
 * Transfer a file from the source tree: write the content of source `from` at
 * destination `to`. A plan copies each content the destination lacks exactly
 * once; `from` and `to` are the same relative path. An edit in place is one
 * copy whose `replaces` is the stale content's hash.
 *
 * @example
 * ```ts
 * import { determineActions, type CopyAction } from "cosmic-allocation/sync";
 *
 * const plan = determineActions({ "a.txt": "h1", "new.txt": "h2" }, { "a.txt": "h1" });
 * const copies = plan.filter((action): action is CopyAction => action.type === "copy");
 * console.log(copies); // [{ type: "copy", from: "new.txt", to: "new.txt", hash: "h2", replaces: null }]
 * ```
 */
export interface CopyAction {
  /** The kind of action. */
  readonly type: "copy";
  /** The path in the source tree to read. */
  readonly from: string;
  /** The path in the destination tree to write: free, or holding the stale file `replaces` names. */
  readonly to: string;
  /** The content hash that `from` holds. */
  readonly hash: string;
  /**
   * What the target holds when the action runs: `null` for nothing (the path
   * is free), or the hash of the stale file there, which the action replaces
   * atomically (a temporary file renamed over it, or a rename over it), so
   * the path is never missing. The shell refuses when the target holds
   * anything else.
   */
  readonly replaces: string | null;
}

/**
 * Copy a file within the destination tree: `from` stays, `to` is created with
 * the same content. Used when the source holds a content more often than the
 * destination does.
 *
 * @example
 * ```ts
 * import { determineActions, type DuplicateAction } from "cosmic-allocation/sync";
 *
 * const plan = determineActions({ "a.txt": "h1", "b.txt": "h1" }, { "a.txt": "h1" });
 * const duplicates = plan.filter((action): action is DuplicateAction => action.type === "duplicate");
 * console.log(duplicates); // [{ type: "duplicate", from: "a.txt", to: "b.txt", hash: "h1", replaces: null }]
 * ```
 */
export interface DuplicateAction {
  /** The kind of action. */
  readonly type: "duplicate";
  /** The destination path to read; it holds `hash` when the action runs. */
  readonly from: string;
  /** The destination path to write: free, or holding the stale file `replaces` names. */
  readonly to: string;
  /** The content hash that `from` holds. */
  readonly hash: string;
  /**
   * What the target holds when the action runs: `null` for nothing (the path
   * is free), or the hash of the stale file there, which the action replaces
   * atomically (a temporary file renamed over it, or a rename over it), so
   * the path is never missing. The shell refuses when the target holds
   * anything else.
   */
  readonly replaces: string | null;
}

/**
 * Rename a file within the destination tree: `to` is free, or holds the
 * stale file that `replaces` names, which the rename replaces atomically.
 * Folders on the way to `to` are created, and folders the move leaves empty
 * are removed.
 *
 * @example
 * ```ts
 * import { determineActions, type MoveAction } from "cosmic-allocation/sync";
 *
 * const plan = determineActions({ "docs/a.md": "h1" }, { "a.md": "h1" });
 * const moves = plan.filter((action): action is MoveAction => action.type === "move");
 * console.log(moves.map(({ from, to }) => `${from} -> ${to}`)); // ["a.md -> docs/a.md"]
 * ```
 */
export interface MoveAction {
  /** The kind of action. */
  readonly type: "move";
  /** The destination path to rename; it holds `hash` when the action runs. */
  readonly from: string;
  /** The destination path it gets: free, or holding the stale file `replaces` names. */
  readonly to: string;
  /** The content hash that `from` holds. */
  readonly hash: string;
  /**
   * What the target holds when the action runs: `null` for nothing (the path
   * is free), or the hash of the stale file there, which the action replaces
   * atomically (a temporary file renamed over it, or a rename over it), so
   * the path is never missing. The shell refuses when the target holds
   * anything else.
   */
  readonly replaces: string | null;
}

/**
 * Remove a file from the destination tree, whose content no later action and
 * not the final tree needs from that path. Folders it leaves empty are removed.
 *
 * @example
 * ```ts
 * import { determineActions, type DeleteAction } from "cosmic-allocation/sync";
 *
 * const plan = determineActions({ "a.txt": "h1" }, { "a.txt": "h1", "old.txt": "h2" });
 * const deletes = plan.filter((action): action is DeleteAction => action.type === "delete");
 * console.log(deletes.map((action) => action.path)); // ["old.txt"]
 * ```
 */
export interface DeleteAction {
  /** The kind of action. */
  readonly type: "delete";
  /** The destination path to remove. */
  readonly path: string;
  /** The content hash the plan expects to remove: the shell refuses when the file holds anything else. */
  readonly hash: string;
}

/**
 * One step of a sync plan, applied in order to the destination tree. See
 * {@link determineActions} for the guarantees a plan gives.
 *
 * @example
 * ```ts
 * import { determineActions, type SyncAction } from "cosmic-allocation/sync";
 *
 * const describe = (action: SyncAction): string =>
 *   action.type === "delete" ? `delete ${action.path}` : `${action.type} ${action.from} -> ${action.to}`;
 * const plan = determineActions({ "b.txt": "h1" }, { "a.txt": "h1", "c.txt": "h2" });
 * console.log(plan.map(describe)); // ["move a.txt -> b.txt", "delete c.txt"]
 * ```
 */
export type SyncAction = CopyAction | DuplicateAction | MoveAction | DeleteAction;

/**
 * Save a destination file into the backup folder, at the same relative path,
 * before a plan deletes or replaces it. Only {@link withBackups} makes these.
 *
 * - `mode: "move"`: the file leaves `path` for the backup folder; it stands
 *   for a delete.
 * - `mode: "copy"`: a hard link or a copy of the file goes to the backup
 *   folder and the file stays at `path`, where the next action replaces it
 *   atomically.
 *
 * @example
 * ```ts
 * import { type BackupAction, determineActions, withBackups } from "cosmic-allocation/sync";
 *
 * const plan = withBackups(determineActions({ "a.txt": "h2" }, { "a.txt": "h1", "old.txt": "h3" }));
 * const backups = plan.filter((action): action is BackupAction => action.type === "backup");
 * console.log(backups.map(({ path, mode }) => `${mode} ${path}`)); // ["copy a.txt", "move old.txt"]
 * ```
 */
export interface BackupAction {
  /** The kind of action. */
  readonly type: "backup";
  /** The destination path whose file is saved, and its path inside the backup folder. */
  readonly path: string;
  /** The content hash the file holds: the shell refuses when it holds anything else. */
  readonly hash: string;
  /** `"move"`: the file leaves `path` (instead of a delete); `"copy"`: it stays, for the next action to replace. */
  readonly mode: "move" | "copy";
}

/**
 * One step of a plan that keeps what it deletes or replaces: a
 * {@link SyncAction} or a {@link BackupAction}.
 *
 * @example
 * ```ts
 * import { type BackedUpAction, determineActions, withBackups } from "cosmic-allocation/sync";
 *
 * const plan: BackedUpAction[] = withBackups(determineActions({}, { "old.txt": "h1" }));
 * console.log(plan); // [{ type: "backup", path: "old.txt", hash: "h1", mode: "move" }]
 * ```
 */
export type BackedUpAction = SyncAction | BackupAction;

/**
 * Whether `plan` is an array of objects, as a plan is: what `countDeletes` and
 * `withBackups` check before they read each action's `type` (a `null` in a
 * plan parsed from JSON would otherwise be a `TypeError`). The actions' fields
 * are checked by `applyActions`, which reads them.
 *
 * @internal
 */
export function isPlan(plan: unknown): plan is readonly BackedUpAction[] {
  // `Object(x) === x` holds for objects (and functions), not for null or primitives.
  return Array.isArray(plan) && plan.every((action: unknown) => Object(action) === action);
}
