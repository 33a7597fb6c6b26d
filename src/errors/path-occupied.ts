import { CosmicError } from "cosmic-allocation";

/**
 * What a sync plan found where it expected nothing or a plain folder: a file,
 * a folder that still holds something, a symbolic link, or a special file
 * (a socket, a device, a pipe).
 *
 * @example
 * ```ts
 * import { PathOccupied, type OccupiedBy } from "cosmic-allocation/sync";
 *
 * const advice: Record<OccupiedBy, string> = {
 *   file: "move the file away",
 *   directory: "empty the folder",
 *   symlink: "remove the link",
 *   special: "remove the special file",
 * };
 * console.log(advice[new PathOccupied("docs", "symlink").found]); // "remove the link"
 * ```
 */
export type OccupiedBy = "file" | "directory" | "symlink" | "special";

/**
 * Thrown while a sync plan is applied when a path it writes to, or a folder on
 * the way to it, is taken by something the plan did not expect. The plan never
 * overwrites and never writes through a symbolic link; the action that found
 * it did nothing.
 *
 * @example
 * ```ts
 * import { PathOccupied } from "cosmic-allocation/sync";
 *
 * const error: unknown = new PathOccupied("docs", "symlink");
 * if (PathOccupied.is(error)) console.log(error.path, error.found); // "docs" "symlink"
 * ```
 */
export class PathOccupied extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "PATH_OCCUPIED";
  /** The destination path that is taken, relative to the destination folder. */
  readonly path: string;
  /** What is there. */
  readonly found: OccupiedBy;

  /**
   * @param path - the destination path that is taken
   * @param found - what is there
   */
  constructor(path: string, found: OccupiedBy) {
    super(
      "PathOccupied",
      PathOccupied.code,
      `Path occupied in dest: ${JSON.stringify(path)} is ${ARTICLES[found]}, and a sync never overwrites or follows links`,
    );
    this.path = path;
    this.found = found;
  }

  /**
   * Tells whether a value is a {@link PathOccupied}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a PathOccupied
   */
  static override is(value: unknown): value is PathOccupied {
    return CosmicError.is(value) && value.code === PathOccupied.code;
  }
}

const ARTICLES: Readonly<Record<OccupiedBy, string>> = {
  file: "a file",
  directory: "a folder that is not empty",
  symlink: "a symbolic link",
  special: "a special file",
};
