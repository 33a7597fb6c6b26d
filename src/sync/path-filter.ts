import { ValidationError } from "cosmic-allocation";

/**
 * Which paths a sync leaves out, as rsync's `--include` and `--exclude`
 * patterns (the subset below). Includes are checked before excludes, and the
 * first pattern that matches decides; a path no pattern matches is included.
 *
 * - `*` matches any run of characters but `/`, `?` one character but `/`, and
 *   `**` any run of characters, `/` included.
 * - A pattern with a leading `/` matches from the root of the tree; any other
 *   matches the end of a path at a name boundary: `*.log` matches `a/b.log`,
 *   `cache/tmp` matches `x/cache/tmp`.
 * - A trailing `/` matches folders only: `build/` leaves out every folder
 *   named `build` and all inside, but not a file named `build`.
 * - A folder that is left out takes everything inside with it, whatever the
 *   patterns say of those paths.
 *
 * @example
 * ```ts
 * import { type FilterRules, determineActions } from "cosmic-allocation/sync";
 *
 * const rules: FilterRules = { exclude: ["*.tmp", "/build/"], include: ["keep.tmp"] };
 * const plan = determineActions(
 *   { "a.txt": "h1", "x.tmp": "h2", "keep.tmp": "h3", "build/out": "h4" },
 *   {},
 *   rules,
 * );
 * console.log(plan.map((action) => action.type !== "delete" && action.to)); // ["a.txt", "keep.tmp"]
 * ```
 */
export interface FilterRules {
  /** Patterns of paths to leave out. */
  readonly exclude?: readonly string[];
  /** Patterns of paths to keep even though an exclude pattern matches them; checked first. */
  readonly include?: readonly string[];
}

/**
 * A compiled {@link FilterRules}: tells which paths a sync leaves out.
 *
 * @example
 * ```ts
 * import { createPathFilter } from "cosmic-allocation/sync";
 *
 * const filter = createPathFilter({ exclude: ["node_modules/", "*.log"] });
 * // A walker skips the folder, but not a file of that name.
 * console.log(filter.excludesEntry("node_modules", true)); // true
 * console.log(filter.excludesEntry("node_modules", false)); // false
 * // A flat list asks by file: a folder above it counts.
 * console.log(filter.excludesFile("src/node_modules/x.js")); // true
 * console.log(filter.excludesFile("logs/today.log")); // true
 * ```
 */
export interface PathFilter {
  /** True when no pattern was given: nothing is ever excluded. */
  readonly empty: boolean;
  /**
   * Whether the entry at `path` is left out by its own name, the folders above
   * it not consulted: for a walker that never enters a folder it left out.
   */
  excludesEntry(path: string, isFolder: boolean): boolean;
  /** Whether the file at `path` is left out, by its own name or by any folder above it. */
  excludesFile(path: string): boolean;
}

interface Rule {
  readonly exclude: boolean;
  readonly folderOnly: boolean;
  readonly pattern: RegExp;
}

/**
 * Compiles include and exclude patterns into a {@link PathFilter}.
 *
 * @param rules - the patterns; see {@link FilterRules} for their syntax
 * @returns a filter; the answers for folders are remembered, so keep one per tree walk
 * @throws {@link cosmic-allocation!ValidationError} when `rules` is not an object, a list is not an array, or a pattern is not a non-empty string without NUL that names something
 *
 * @example
 * ```ts
 * import { createPathFilter } from "cosmic-allocation/sync";
 *
 * const filter = createPathFilter({ include: ["*.md"], exclude: ["docs/**"] });
 * // The include is checked first.
 * console.log(filter.excludesFile("docs/guide.md")); // false
 * console.log(filter.excludesFile("docs/logo.png")); // true
 * ```
 */
export function createPathFilter(rules: FilterRules): PathFilter {
  if (typeof rules !== "object" || rules === null) {
    throw new ValidationError("filter rules", rules, "an object");
  }
  const compiled = [
    ...compileList(rules.include, "include", false),
    ...compileList(rules.exclude, "exclude", true),
  ];
  const folders = new Map<string, boolean>();

  const excludesEntry = (path: string, isFolder: boolean): boolean => {
    for (const rule of compiled) {
      if ((!rule.folderOnly || isFolder) && rule.pattern.test(path)) return rule.exclude;
    }
    return false;
  };

  // From the top folder down, each answer remembered: no recursion, however deep the path.
  const excludesFolder = (folder: string): boolean => {
    const known = folders.get(folder);
    if (known !== undefined) return known;
    let excluded = false;
    for (let end = folder.indexOf("/"); ; end = folder.indexOf("/", end + 1)) {
      const above = end < 0 ? folder : folder.slice(0, end);
      let answer = folders.get(above);
      if (answer === undefined) {
        answer = excluded || excludesEntry(above, true);
        folders.set(above, answer);
      }
      excluded = answer;
      if (end < 0) return excluded;
    }
  };

  return {
    empty: compiled.length === 0,
    excludesEntry,
    excludesFile: (path) => {
      if (compiled.length === 0) return false;
      const end = path.lastIndexOf("/");
      return (end > 0 && excludesFolder(path.slice(0, end))) || excludesEntry(path, false);
    },
  };
}

function compileList(list: unknown, name: string, exclude: boolean): Rule[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ValidationError(name, list, "an array of patterns");
  return list.map((pattern: unknown, i) => compileRule(pattern, `${name}[${i}]`, exclude));
}

const SPECIAL = /[.+^${}()|[\]\\]/g;

function compileRule(pattern: unknown, name: string, exclude: boolean): Rule {
  if (typeof pattern !== "string" || pattern.includes("\0")) {
    throw new ValidationError(name, pattern, "a pattern: a string without NUL");
  }
  const folderOnly = pattern.endsWith("/");
  const anchored = pattern.startsWith("/");
  const body = pattern.slice(anchored ? 1 : 0, folderOnly ? -1 : undefined);
  if (body === "" || body.startsWith("/") || body.endsWith("/")) {
    throw new ValidationError(name, pattern, "a pattern that names something");
  }
  const source = body
    .replace(SPECIAL, "\\$&")
    .replace(/\*\*|\*|\?/g, (wildcard) =>
      wildcard === "**" ? ".*" : wildcard === "*" ? "[^/]*" : "[^/]",
    );
  return {
    exclude,
    folderOnly,
    pattern: new RegExp(anchored ? `^${source}$` : `(?:^|/)${source}$`, "s"),
  };
}
