import { ValidationError } from "cosmic-allocation";
import { type BackedUpAction, isPlan, type SyncAction } from "./sync-action";

/**
 * Turns a plan into one that keeps, in a backup folder, every destination file
 * the plan would delete or replace, each at its own relative path (rsync's
 * `--backup --backup-dir`). A pure transformation:
 *
 * - a delete becomes a backup with `mode: "move"`: the file moves into the
 *   backup folder instead of being removed;
 * - a write that replaces a stale file is preceded by a backup with
 *   `mode: "copy"`: a link or copy of the stale file goes to the backup
 *   folder, and the write still replaces the file atomically, so the path is
 *   never missing;
 * - every other action is unchanged, in the same order.
 *
 * The destination ends as the plain plan leaves it, the transfer is the same,
 * and the backup folder ends with exactly the files the plain plan deletes or
 * replaces. A plan of {@link determineActions} deletes or replaces each path at
 * most once, so no two backups share a path.
 *
 * @param plan - a plan as {@link determineActions} returns it
 * @returns a fresh array; the plan itself is not changed
 * @throws {@link cosmic-allocation!ValidationError} when `plan` is not an array of objects
 *
 * @example
 * ```ts
 * import { determineActions, withBackups } from "cosmic-allocation/sync";
 *
 * const plan = withBackups(determineActions({ "notes.txt": "v2" }, { "notes.txt": "v1", "old.txt": "v0" }));
 * console.log(plan[0]); // { type: "backup", path: "notes.txt", hash: "v1", mode: "copy" }
 * console.log(plan[1]); // { type: "copy", from: "notes.txt", to: "notes.txt", hash: "v2", replaces: "v1" }
 * console.log(plan[2]); // { type: "backup", path: "old.txt", hash: "v0", mode: "move" }
 * ```
 */
export function withBackups(plan: readonly SyncAction[]): BackedUpAction[] {
  if (!isPlan(plan)) throw new ValidationError("plan", plan, "an array of sync actions");
  const backedUp: BackedUpAction[] = [];
  for (const action of plan) {
    if (action.type === "delete") {
      backedUp.push({ type: "backup", path: action.path, hash: action.hash, mode: "move" });
      continue;
    }
    if (action.replaces !== null) {
      backedUp.push({ type: "backup", path: action.to, hash: action.replaces, mode: "copy" });
    }
    backedUp.push(action);
  }
  return backedUp;
}
