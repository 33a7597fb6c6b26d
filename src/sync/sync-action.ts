/**
 * Transfer a file from the source tree: write the content of source `from` at
 * destination `to`. A plan copies each content the destination lacks exactly
 * once; `from` and `to` are the same relative path.
 */
export interface CopyAction {
  /** The kind of action. */
  readonly type: "copy";
  /** The path in the source tree to read. */
  readonly from: string;
  /** The path in the destination tree to create; nothing is there when the action runs. */
  readonly to: string;
  /** The content hash that `from` holds. */
  readonly hash: string;
}

/**
 * Copy a file within the destination tree: `from` stays, `to` is created with
 * the same content. Used when the source holds a content more often than the
 * destination does.
 */
export interface DuplicateAction {
  /** The kind of action. */
  readonly type: "duplicate";
  /** The destination path to read; it holds `hash` when the action runs. */
  readonly from: string;
  /** The destination path to create; nothing is there when the action runs. */
  readonly to: string;
  /** The content hash that `from` holds. */
  readonly hash: string;
}

/**
 * Rename a file within the destination tree, without overwriting: nothing is
 * at `to` when the action runs. Folders on the way to `to` are created, and
 * folders the move leaves empty are removed.
 */
export interface MoveAction {
  /** The kind of action. */
  readonly type: "move";
  /** The destination path to rename; it holds `hash` when the action runs. */
  readonly from: string;
  /** The destination path it gets. */
  readonly to: string;
  /** The content hash that `from` holds. */
  readonly hash: string;
}

/**
 * Remove a file from the destination tree, whose content no later action and
 * not the final tree needs from that path. Folders it leaves empty are removed.
 */
export interface DeleteAction {
  /** The kind of action. */
  readonly type: "delete";
  /** The destination path to remove. */
  readonly path: string;
}

/**
 * One step of a sync plan, applied in order to the destination tree. See
 * {@link determineActions} for the guarantees a plan gives.
 */
export type SyncAction = CopyAction | DuplicateAction | MoveAction | DeleteAction;
