import { ValidationError } from "cosmic-allocation";
import { UnsafePath, type UnsafePathReason } from "../errors/unsafe-path";

// Matches every unsafe path; a safe one needs a single scan to pass.
const UNSAFE = /^$|^\/|\/$|\/\/|\\|\0|(?:^|\/)\.\.?(?:\/|$)/;

/**
 * Checks that a path is a safe relative POSIX path for the sync rules: one or
 * more non-empty names joined by `/`, none of them `.` or `..`, and no
 * backslash or NUL anywhere. Such a path cannot leave the folder it is
 * resolved against.
 *
 * @param path - the value to check
 * @param side - the tree it belongs to, named in the error
 * @throws {@link UnsafePath} when the path breaks a rule, naming the rule
 * @throws {@link cosmic-allocation!ValidationError} when the value is not a string
 *
 * @example
 * ```ts
 * import { UnsafePath, assertSafePath } from "cosmic-allocation/sync";
 *
 * assertSafePath("docs/readme.md", "source"); // passes
 * try {
 *   assertSafePath("/etc/passwd", "dest");
 * } catch (error) {
 *   if (UnsafePath.is(error)) console.log(error.reason); // "absolute"
 * }
 * ```
 */
export function assertSafePath(path: unknown, side: "source" | "dest"): asserts path is string {
  if (typeof path !== "string") throw new ValidationError(`${side} path`, path, "a string");
  if (!isSafePath(path)) throw new UnsafePath(path, unsafeReason(path), side);
}

/**
 * The boolean form of {@link assertSafePath}, for hot loops.
 *
 * @internal
 */
export function isSafePath(path: string): boolean {
  return !UNSAFE.test(path);
}

function unsafeReason(path: string): UnsafePathReason {
  if (path === "") return "empty";
  if (path.includes("\0")) return "nul";
  if (path.includes("\\")) return "backslash";
  if (path.startsWith("/")) return "absolute";
  if (path.endsWith("/")) return "trailing-slash";
  if (path.includes("//")) return "empty-segment";
  return "dot-segment";
}
