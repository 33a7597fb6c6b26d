/**
 * A tree of files as the sync planner reads it: each relative POSIX path
 * (`"docs/readme.md"`, no leading `/`, no `.` or `..`) to the hash of its
 * content. Folders are implied by the paths; a hash is any non-empty string,
 * equal strings meaning equal content.
 *
 * A `Map` is the fast form for large trees; a plain object works too.
 *
 * @example
 * ```ts
 * import { determineActions, type FileTree } from "cosmic-allocation/sync";
 *
 * const source: FileTree = new Map([["docs/a.md", "h1"]]);
 * const dest: FileTree = { "docs/a.md": "h1" };
 * console.log(determineActions(source, dest)); // []
 * ```
 */
export type FileTree = ReadonlyMap<string, string> | { readonly [path: string]: string };
