import { CosmicError } from "cosmic-allocation";

/**
 * Thrown by the sync planner when a source file cannot be written without
 * deleting or replacing a destination file that the exclude patterns protect:
 * the excluded file is at its path, at a folder of it, or inside it. A
 * folder-only pattern (`build/`) leaves out a destination folder but not a
 * source file of the same name, for instance. Nothing is planned.
 *
 * @example
 * ```ts
 * import { ExcludedPathInTheWay, determineActions } from "cosmic-allocation/sync";
 *
 * try {
 *   determineActions({ build: "h1" }, { "build/out.js": "h2" }, { exclude: ["build/"] });
 * } catch (error) {
 *   if (ExcludedPathInTheWay.is(error)) console.log(error.path, error.excluded); // "build" "build/out.js"
 * }
 * ```
 */
export class ExcludedPathInTheWay extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "EXCLUDED_PATH_IN_THE_WAY";
  /** The source path that cannot be written. */
  readonly path: string;
  /** The excluded destination file in its way. */
  readonly excluded: string;

  /**
   * @param path - the source path that cannot be written
   * @param excluded - the excluded destination file in its way
   */
  constructor(path: string, excluded: string) {
    super(
      "ExcludedPathInTheWay",
      ExcludedPathInTheWay.code,
      `Excluded path in the way: writing source ${JSON.stringify(path)} would delete or replace the excluded destination file ${JSON.stringify(excluded)}`,
    );
    this.path = path;
    this.excluded = excluded;
  }

  /**
   * Tells whether a value is an {@link ExcludedPathInTheWay}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an ExcludedPathInTheWay
   */
  static override is(value: unknown): value is ExcludedPathInTheWay {
    return CosmicError.is(value) && value.code === ExcludedPathInTheWay.code;
  }
}
