import { ExcludedPathInTheWay } from "../errors/excluded-path-in-the-way";
import type { PathFilter } from "./path-filter";
import { subTree, type Tree } from "./read-tree";

/**
 * Leaves the excluded files out of both trees, so that the plan neither
 * writes them from the source nor deletes or replaces them in the destination.
 * Checks that no source file that stays needs the path of an excluded
 * destination file: the same path, a folder above it, or a path inside it;
 * nor, when case folds, a folder of it spelled otherwise, which the excluded
 * file keeps in its old spelling.
 *
 * @throws {@link ExcludedPathInTheWay} naming the first such source path in key order
 * @internal
 */
export function excludePaths(
  source: Tree,
  dest: Tree,
  filter: PathFilter,
): { readonly source: Tree; readonly dest: Tree } {
  if (filter.empty) return { source, dest };
  const kept = subTree(source, (i) => !filter.excludesFile(source.paths[i] as string));
  const destKept = new Uint8Array(dest.count);
  // Excluded destination file keys, and every folder above them, to the file.
  const excluded = new Map<string, string>();
  const excludedFolders = new Map<string, string>();
  for (let i = 0; i < dest.count; i++) {
    const path = dest.paths[i] as string;
    if (!filter.excludesFile(path)) {
      destKept[i] = 1;
      continue;
    }
    const key = dest.keys[i] as string;
    excluded.set(key, path);
    for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
      const folder = key.slice(0, end);
      if (excludedFolders.has(folder)) break;
      excludedFolders.set(folder, path);
    }
  }
  if (excluded.size === 0) return { source: kept, dest };
  for (let i = 0; i < kept.count; i++) {
    const key = kept.keys[i] as string;
    let inTheWay = excluded.get(key) ?? excludedFolders.get(key);
    for (let end = key.lastIndexOf("/"); end > 0 && inTheWay === undefined; ) {
      const folder = key.slice(0, end);
      inTheWay = excluded.get(folder);
      const spelling = dest.folderSpellings.get(folder);
      if (spelling !== undefined && spelling !== kept.folderSpellings.get(folder)) {
        inTheWay ??= excludedFolders.get(folder);
      }
      end = key.lastIndexOf("/", end - 1);
    }
    if (inTheWay !== undefined) throw new ExcludedPathInTheWay(kept.paths[i] as string, inTheWay);
  }
  return { source: kept, dest: subTree(dest, (i) => destKept[i] === 1) };
}
