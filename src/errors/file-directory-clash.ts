import { CosmicError } from "cosmic-allocation";

/**
 * Thrown when one tree given to the sync planner names a path both as a file
 * and as a folder (`"a"` and `"a/b"`), which no file system can hold.
 *
 * @example
 * ```ts
 * import { FileDirectoryClash, determineActions } from "cosmic-allocation/sync";
 *
 * try {
 *   determineActions({ a: "hash1", "a/b": "hash2" }, {});
 * } catch (error) {
 *   if (FileDirectoryClash.is(error)) console.log(error.path, error.inside); // "a" "a/b"
 * }
 * ```
 */
export class FileDirectoryClash extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "FILE_DIRECTORY_CLASH";
  /** The path named as a file that is also a folder. */
  readonly path: string;
  /** A file path inside it, which makes it a folder. */
  readonly inside: string;
  /** The tree that holds both. */
  readonly side: "source" | "dest";

  /**
   * @param path - the path named as a file that is also a folder
   * @param inside - a file path inside it
   * @param side - the tree that holds both
   */
  constructor(path: string, inside: string, side: "source" | "dest") {
    super(
      "FileDirectoryClash",
      FileDirectoryClash.code,
      `File and folder clash in ${side}: ${JSON.stringify(path)} is a file and also holds ${JSON.stringify(inside)}`,
    );
    this.path = path;
    this.inside = inside;
    this.side = side;
  }

  /**
   * Tells whether a value is a {@link FileDirectoryClash}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a FileDirectoryClash
   */
  static override is(value: unknown): value is FileDirectoryClash {
    return CosmicError.is(value) && value.code === FileDirectoryClash.code;
  }
}
