import { CosmicError } from "cosmic-allocation";

/**
 * Thrown while a sync plan is applied when a file no longer holds the content
 * the plan was made for: it changed after it was hashed. The action that found
 * it did nothing; hash and plan again to pick up the change.
 *
 * @example
 * ```ts
 * import { ContentChanged } from "cosmic-allocation/sync";
 *
 * const error: unknown = new ContentChanged("notes.txt", "dest", "3a7bd3e2", "9c56cc51");
 * if (ContentChanged.is(error)) console.log(error.path); // "notes.txt"
 * ```
 */
export class ContentChanged extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "CONTENT_CHANGED";
  /** The path of the file, relative to its tree. */
  readonly path: string;
  /** The tree that holds the file. */
  readonly side: "source" | "dest";
  /** The hash the plan expected. */
  readonly expected: string;
  /** The hash the file holds now. */
  readonly actual: string;

  /**
   * @param path - the path of the file, relative to its tree
   * @param side - the tree that holds it
   * @param expected - the hash the plan expected
   * @param actual - the hash the file holds now
   */
  constructor(path: string, side: "source" | "dest", expected: string, actual: string) {
    super(
      "ContentChanged",
      ContentChanged.code,
      `Content changed in ${side} ${JSON.stringify(path)}: expected hash ${expected}, found ${actual}`,
    );
    this.path = path;
    this.side = side;
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * Tells whether a value is a {@link ContentChanged}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a ContentChanged
   */
  static override is(value: unknown): value is ContentChanged {
    return CosmicError.is(value) && value.code === ContentChanged.code;
  }
}
