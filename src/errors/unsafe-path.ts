import { CosmicError } from "cosmic-allocation";

/**
 * Why a path is refused by the sync rules: every path must be a relative POSIX
 * path of one or more non-empty names, none of them `.` or `..`.
 *
 * - `"empty"`: the path is the empty string;
 * - `"absolute"`: it starts with `/`;
 * - `"trailing-slash"`: it ends with `/`;
 * - `"empty-segment"`: it holds `//`;
 * - `"dot-segment"`: one of its names is `.` or `..`;
 * - `"backslash"`: it holds `\`, a separator on Windows;
 * - `"nul"`: it holds the NUL character, which no file system accepts.
 *
 * @example
 * ```ts
 * import { UnsafePath, assertSafePath, type UnsafePathReason } from "cosmic-allocation/sync";
 *
 * let reason: UnsafePathReason | undefined;
 * try {
 *   assertSafePath("notes//today.md", "source");
 * } catch (error) {
 *   if (UnsafePath.is(error)) reason = error.reason;
 * }
 * console.log(reason); // "empty-segment"
 * ```
 */
export type UnsafePathReason =
  | "empty"
  | "absolute"
  | "trailing-slash"
  | "empty-segment"
  | "dot-segment"
  | "backslash"
  | "nul";

/**
 * Thrown when a sync input or a sync action names a path that could escape the
 * folder it belongs to or that no file system can hold. Nothing has been
 * planned or changed when it is thrown.
 *
 * @example
 * ```ts
 * import { UnsafePath, determineActions } from "cosmic-allocation/sync";
 *
 * try {
 *   determineActions({ "../etc/passwd": "hash1" }, {});
 * } catch (error) {
 *   if (UnsafePath.is(error)) console.log(error.path, error.reason); // "../etc/passwd" "dot-segment"
 * }
 * ```
 */
export class UnsafePath extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "UNSAFE_PATH";
  /** The refused path, as it was received. */
  readonly path: string;
  /** Which rule the path breaks. */
  readonly reason: UnsafePathReason;
  /** The tree the path belongs to: the source, or the destination (where every path of a plan but a copy's `from` lives). */
  readonly side: "source" | "dest";

  /**
   * @param path - the refused path
   * @param reason - which rule it breaks
   * @param side - the tree it belongs to
   */
  constructor(path: string, reason: UnsafePathReason, side: "source" | "dest") {
    super(
      "UnsafePath",
      UnsafePath.code,
      `Unsafe path ${JSON.stringify(path)} in ${side}: ${EXPLANATIONS[reason]}`,
    );
    this.path = path;
    this.reason = reason;
    this.side = side;
  }

  /**
   * Tells whether a value is an {@link UnsafePath}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is an UnsafePath
   */
  static override is(value: unknown): value is UnsafePath {
    return CosmicError.is(value) && value.code === UnsafePath.code;
  }
}

const EXPLANATIONS: Readonly<Record<UnsafePathReason, string>> = {
  empty: "a path must name a file",
  absolute: "a path must be relative, not start with /",
  "trailing-slash": "a path must name a file, not end with /",
  "empty-segment": "a path must not hold an empty name (//)",
  "dot-segment": "a path must not hold a . or .. name",
  backslash: "a path must not hold a backslash",
  nul: "a path must not hold a NUL character",
};
