import { CosmicError } from "cosmic-allocation";

/**
 * Thrown by `syncDirectories` before anything changes when a plan would
 * delete more destination files than allowed: more than `maxDelete`, or, by
 * default, every file of a non-empty destination because the source is empty
 * (an unmounted disk, a mistyped path). Replaced files do not count.
 *
 * @example
 * ```ts
 * import { DeleteLimitExceeded, syncDirectories } from "cosmic-allocation/node";
 *
 * try {
 *   await syncDirectories("./photos", "/backup/photos", { maxDelete: 100 });
 * } catch (error) {
 *   if (DeleteLimitExceeded.is(error)) console.log(`${error.wouldDelete} deletes, at most ${error.limit}`);
 * }
 * ```
 */
export class DeleteLimitExceeded extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "DELETE_LIMIT_EXCEEDED";
  /** How many files the plan would delete. */
  readonly wouldDelete: number;
  /** How many it may delete: the `maxDelete` limit, or 0 for an empty source. */
  readonly limit: number;
  /** `"max-delete"`: over the limit given; `"empty-source"`: the source is empty and every file would go. */
  readonly reason: "max-delete" | "empty-source";

  /**
   * @param wouldDelete - how many files the plan would delete
   * @param limit - how many it may delete
   * @param reason - which guard refused
   */
  constructor(wouldDelete: number, limit: number, reason: "max-delete" | "empty-source") {
    super(
      "DeleteLimitExceeded",
      DeleteLimitExceeded.code,
      reason === "empty-source"
        ? `Delete limit exceeded: the source is empty and the sync would delete all ${wouldDelete} files of the destination; nothing changed (force it if that is meant)`
        : `Delete limit exceeded: the sync would delete ${wouldDelete} files, more than the limit of ${limit}; nothing changed`,
    );
    this.wouldDelete = wouldDelete;
    this.limit = limit;
    this.reason = reason;
  }

  /**
   * Tells whether a value is a {@link DeleteLimitExceeded}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a DeleteLimitExceeded
   */
  static override is(value: unknown): value is DeleteLimitExceeded {
    return CosmicError.is(value) && value.code === DeleteLimitExceeded.code;
  }
}
