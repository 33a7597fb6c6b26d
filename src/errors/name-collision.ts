import { CosmicError } from "cosmic-allocation";

/**
 * Thrown when two paths of one tree given to the sync planner name the same
 * file on the destination: under `caseInsensitive` they differ only by case
 * (`"Readme.md"` and `"README.md"`), under `unicode: "nfc"` only by Unicode
 * normalization. A folder spelled two ways (`"Docs/a"` and `"docs/b"`) counts too.
 *
 * @example
 * ```ts
 * import { NameCollision, determineActions } from "cosmic-allocation/sync";
 *
 * try {
 *   determineActions({ "Readme.md": "hash1", "README.md": "hash2" }, {}, { caseInsensitive: true });
 * } catch (error) {
 *   if (NameCollision.is(error)) console.log(error.path, error.other); // "README.md" "Readme.md"
 * }
 * ```
 */
export class NameCollision extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "NAME_COLLISION";
  /** One of the two spellings (the smaller, in code-unit order). */
  readonly path: string;
  /** The other spelling. */
  readonly other: string;
  /** The tree that holds both. */
  readonly side: "source" | "dest";

  /**
   * @param path - one of the two spellings
   * @param other - the other spelling
   * @param side - the tree that holds both
   */
  constructor(path: string, other: string, side: "source" | "dest") {
    const [first, second] = path < other ? [path, other] : [other, path];
    super(
      "NameCollision",
      NameCollision.code,
      `Name collision in ${side}: ${JSON.stringify(first)} and ${JSON.stringify(second)} name the same file on the destination`,
    );
    this.path = first;
    this.other = second;
    this.side = side;
  }

  /**
   * Tells whether a value is a {@link NameCollision}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a NameCollision
   */
  static override is(value: unknown): value is NameCollision {
    return CosmicError.is(value) && value.code === NameCollision.code;
  }
}
