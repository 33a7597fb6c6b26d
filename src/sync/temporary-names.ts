import type { Naming } from "./naming";
import type { Tree } from "./read-tree";

const STEM = ".cosmic-sync-tmp";

/**
 * Returns a source of temporary paths for breaking move cycles: `<folder>/1`,
 * `<folder>/2`, ... inside one top-level folder whose name (under the naming's
 * folding) is no file or folder of either tree, so no temporary path can meet
 * a path of either tree. The folder is chosen on first use, in one pass over
 * the top-level names: plans without a cycle pay nothing.
 *
 * @internal
 */
export function temporaryNames(trees: readonly Tree[], naming: Naming): () => string {
  let folder: string | undefined;
  let count = 0;
  return () => {
    folder ??= freeTopLevelName(trees, naming);
    count += 1;
    return `${folder}/${count}`;
  };
}

function freeTopLevelName(trees: readonly Tree[], naming: Naming): string {
  const taken = new Set<string>();
  for (const tree of trees) {
    for (let i = 0; i < tree.count; i++) {
      const key = tree.keys[i] as string;
      if (!key.includes("/")) taken.add(key);
    }
    for (const key of tree.folders) if (!key.includes("/")) taken.add(key);
  }
  let name = STEM;
  for (let n = 2; taken.has(naming.key(name)); n++) name = `${STEM}-${n}`;
  return name;
}
