import { ValidationError } from "cosmic-allocation";
import { excludePaths } from "./exclude-paths";
import type { FileTree } from "./file-tree";
import { Matching } from "./matching";
import { createNaming, type Naming } from "./naming";
import { orderActions } from "./order-actions";
import { createPathFilter, type FilterRules, type PathFilter } from "./path-filter";
import { readTree } from "./read-tree";
import { ScratchMemory } from "./scratch-memory";
import type { SyncAction } from "./sync-action";

/**
 * How the destination file system compares names. By default names are compared exactly, code unit by code unit.
 *
 * @example
 * ```ts
 * import { determineActions, type DetermineActionsOptions } from "cosmic-allocation/sync";
 *
 * const macOS: DetermineActionsOptions = { caseInsensitive: true, unicode: "nfc" };
 * const actions = determineActions({ "README.md": "h1" }, { "readme.md": "h1" }, macOS);
 * console.log(actions.map((action) => action.type)); // ["move", "move"]
 * ```
 */
export interface DetermineActionsOptions extends FilterRules {
  /**
   * The destination folds case (macOS and Windows by default): names that
   * differ only by case are one file. A case-only rename then goes through a
   * temporary name, a folder whose case changes is emptied and refilled, and a
   * tree holding two names that differ only by case is rejected.
   */
  readonly caseInsensitive?: boolean;
  /**
   * `"nfc"`: the NFC and NFD spellings of a name are the same file (macOS HFS+
   * stores NFD, most tools write NFC), so a file whose name differs only by
   * normalization is left in place. `"exact"` (the default) compares code units.
   */
  readonly unicode?: "exact" | "nfc";
  /**
   * Patterns of paths to leave out of the sync (see {@link FilterRules}): an
   * excluded source file is not written, an excluded destination file is
   * never deleted or replaced.
   */
  readonly exclude?: readonly string[];
  /** Patterns of paths to keep even though an exclude pattern matches them; checked first. */
  readonly include?: readonly string[];
}

/**
 * Plans how to make the destination tree a mirror of the source tree: the
 * actions that, applied in order to the destination, leave exactly the source's
 * paths with the source's contents, and nothing else.
 *
 * The plan is:
 * - **exact**: no extra file, no temporary name is left behind;
 * - **safe at every step**: each action reads a path that holds `hash` at that
 *   point; a write's path is free, or holds the stale file its `replaces`
 *   names, which it replaces atomically (never a folder, never below a file);
 *   a delete names the content it removes; and no content that a later action
 *   or the final tree needs is removed, so a plan stopped at any step loses
 *   nothing;
 * - **atomic**: no path both trees have (spelled alike) is ever missing: an
 *   edit in place is one copy that replaces the old content, a rename onto a
 *   stale file one move that replaces it, and a stale file whose content is
 *   needed elsewhere is duplicated there before it is replaced;
 * - **minimal in transfer**: each content the destination lacks is copied from
 *   the source once; every other file comes from a move or a duplicate within
 *   the destination;
 * - **short**: a file that changes place to a path the source lacks moves
 *   rather than being duplicated and deleted; a cycle (a swap, a rotation, a
 *   case-only rename) goes through one temporary name inside a top-level
 *   folder that no path of either tree uses; deletes come last, but for one
 *   that frees a path, placed just before the write that needs it;
 * - **deterministic**: the same for the same trees, whatever their insertion
 *   order; writes are in source path order where nothing forces another.
 *
 * It costs O(n log n) in the number of paths, n log n for sorting what changes.
 *
 * @param source - the tree to mirror: relative POSIX path to content hash
 * @param dest - the tree to change, in the same form
 * @param options - how the destination compares names, and which paths to leave out
 * @returns a fresh array of actions; empty when the trees already agree
 * @throws {@link UnsafePath} when a path is absolute, holds `.`, `..` or empty names, a backslash or NUL, or ends with `/`
 * @throws {@link FileDirectoryClash} when a tree holds a path both as a file and as a folder
 * @throws {@link NameCollision} when, under the options, two paths of one tree name the same file
 * @throws {@link ExcludedPathInTheWay} when a source file that is not excluded needs the path of an excluded destination file
 * @throws {@link cosmic-allocation!ValidationError} when a tree is not a Map or a plain object of string to non-empty string, or an option is invalid
 *
 * @example
 * ```ts
 * import { determineActions } from "cosmic-allocation/sync";
 *
 * const source = { "docs/a.md": "h1", "docs/b.md": "h2", "new.txt": "h3" };
 * const dest = { "a.md": "h1", "docs/b.md": "h2", "old.txt": "h4" };
 * const actions = determineActions(source, dest);
 * console.log(actions.length); // 3
 * console.log(actions[0]); // { type: "move", from: "a.md", to: "docs/a.md", hash: "h1", replaces: null }
 * console.log(actions[1]); // { type: "copy", from: "new.txt", to: "new.txt", hash: "h3", replaces: null }
 * console.log(actions[2]); // { type: "delete", path: "old.txt", hash: "h4" }
 * ```
 */
export function determineActions(
  source: FileTree,
  dest: FileTree,
  options: DetermineActionsOptions = {},
): SyncAction[] {
  const { naming, filter } = readOptions(options);
  // One memory for the arrays and lists of every phase (see ScratchMemory).
  const memory = ScratchMemory.lend();
  try {
    const sourceTree = readTree(source, "source", naming, memory);
    const destTree = readTree(dest, "dest", naming, memory);
    const synced = excludePaths(sourceTree, destTree, filter);
    const matching = new Matching(synced.source, synced.dest, naming.foldsCase, memory);
    return orderActions(
      synced.source,
      synced.dest,
      matching,
      naming,
      [sourceTree, destTree],
      memory,
    );
  } finally {
    memory.giveBack();
  }
}

function readOptions(options: unknown): { naming: Naming; filter: PathFilter } {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError("options", options, "an object");
  }
  let caseInsensitive: unknown;
  let unicode: unknown;
  let exclude: unknown;
  let include: unknown;
  try {
    ({
      caseInsensitive = false,
      unicode = "exact",
      exclude,
      include,
    } = options as DetermineActionsOptions);
  } catch (cause) {
    // A revoked Proxy, or a getter that throws.
    throw new ValidationError("options", options, "a readable object", { cause });
  }
  if (typeof caseInsensitive !== "boolean") {
    throw new ValidationError("options.caseInsensitive", caseInsensitive, "a boolean");
  }
  if (unicode !== "exact" && unicode !== "nfc") {
    throw new ValidationError("options.unicode", unicode, '"exact" or "nfc"');
  }
  const rules: { exclude?: readonly string[]; include?: readonly string[] } = {};
  if (exclude !== undefined) rules.exclude = exclude as readonly string[];
  if (include !== undefined) rules.include = include as readonly string[];
  return { naming: createNaming(caseInsensitive, unicode), filter: createPathFilter(rules) };
}
