/**
 * A tree of files as the sync planner reads it: each relative POSIX path
 * (`"docs/readme.md"`, no leading `/`, no `.` or `..`) to the hash of its
 * content. Folders are implied by the paths; a hash is any non-empty string,
 * equal strings meaning equal content.
 *
 * A `Map` is the fast form for large trees; a plain object works too.
 */
export type FileTree = ReadonlyMap<string, string> | { readonly [path: string]: string };
