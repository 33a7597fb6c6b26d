import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFiles } from "../folders";

/** What the destination must hold after a complete sync: the source's files. */
export interface ShellModel {
  readonly source: Map<string, string>;
}

/** The two real folders. */
export interface Folders {
  readonly source: string;
  readonly dest: string;
  /** Where the syncs keep their hash cache, which tampering must never fool. */
  readonly cache: string;
}

/** Whether a file at `path` fits a tree: no file where it needs a folder, no folder where it is a file. */
export function fits(tree: ReadonlyMap<string, string>, path: string): boolean {
  for (const existing of tree.keys()) {
    if (existing.startsWith(`${path}/`) || path.startsWith(`${existing}/`)) return false;
  }
  return true;
}

/**
 * Writes one file in a real folder. A folder left empty by an earlier removal
 * may stand where the file goes (the model has no file under it); like a person
 * renaming a file over an empty folder, clear it first.
 */
export function writeFile(root: string, path: string, content: string): void {
  if (statSync(join(root, path), { throwIfNoEntry: false })?.isDirectory()) {
    rmSync(join(root, path), { recursive: true });
  }
  writeFiles(root, { [path]: content });
}

/** Removes one file from a real folder (its emptied folders may stay: a sync must not care). */
export function removeFile(root: string, path: string): void {
  rmSync(join(root, path));
}
