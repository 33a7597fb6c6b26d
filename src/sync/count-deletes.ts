import { ValidationError } from "cosmic-allocation";
import { type BackedUpAction, isPlan } from "./sync-action";

/**
 * Counts the files a plan deletes, for a limit such as `--max-delete`: its
 * delete actions, and its backups that move a file away instead of deleting
 * it. A write that replaces a stale file is not a delete.
 *
 * @param plan - a plan from {@link determineActions}, or from {@link withBackups}
 * @returns how many destination files the plan removes for good
 * @throws {@link cosmic-allocation!ValidationError} when `plan` is not an array of objects
 *
 * @example
 * ```ts
 * import { countDeletes, determineActions } from "cosmic-allocation/sync";
 *
 * const plan = determineActions({ "a.txt": "h2" }, { "a.txt": "h1", "b.txt": "h3", "c.txt": "h4" });
 * console.log(countDeletes(plan)); // 2
 * ```
 */
export function countDeletes(plan: readonly BackedUpAction[]): number {
  if (!isPlan(plan)) throw new ValidationError("plan", plan, "an array of sync actions");
  let deletes = 0;
  for (const action of plan) {
    if (action.type === "delete" || (action.type === "backup" && action.mode === "move")) {
      deletes += 1;
    }
  }
  return deletes;
}
