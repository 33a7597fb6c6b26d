import { Matching } from "./matching";
import type { Naming } from "./naming";
import { indexOf, type Tree } from "./read-tree";
import { Barrier, type Dependencies, scheduleWrites } from "./schedule-writes";
import type { SyncAction } from "./sync-action";
import { temporaryNames } from "./temporary-names";

const NONE: Dependencies = [];

/**
 * Plans the actions that turn the destination tree into the source tree. See
 * `determineActions` for the contract; this is its core on validated trees:
 * decide where each file comes from ({@link Matching}), order the writes
 * ({@link scheduleWrites}), then delete what is left, in key order.
 *
 * @internal
 */
export function planSync(source: Tree, dest: Tree, naming: Naming): SyncAction[] {
  const matching = new Matching(source, dest, naming.foldsCase);
  const { occupant, destination } = matching;
  const blocking = findBlockingFiles(source, dest);
  const barriers = findBarriers(source, dest, matching);
  const barrierByKey = new Map(barriers.map((barrier, b) => [barrier.key, b]));
  const walkFolders = blocking.size > 0 || barriers.length > 0;

  const dependenciesOf = (target: number): Dependencies => {
    const at = occupant[target] as number;
    if (!walkFolders && at < 0) return NONE;
    const first: number[] = [];
    const deletes: number[] = [];
    const add = (file: number | undefined): void => {
      if (file === undefined || file < 0) return;
      if ((destination[file] as number) < 0) deletes.push(file);
      else first.push(file);
    };
    const addBarrier = (b: number | undefined): void => {
      if (b !== undefined) first.push(-1 - b);
    };
    if (walkFolders) {
      const key = source.keys[target] as string;
      for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
        const folder = key.slice(0, end);
        add(blocking.get(folder));
        addBarrier(barrierByKey.get(folder));
      }
      addBarrier(barrierByKey.get(key));
    }
    add(at);
    return deletes.length === 0 ? first : [...first, ...deletes];
  };

  const actions: SyncAction[] = [];
  const temporaryName = temporaryNames([source, dest], naming);
  const vacated = scheduleWrites(
    source,
    dest,
    matching,
    barriers,
    dependenciesOf,
    temporaryName,
    actions,
  );
  for (const file of matching.free) {
    if ((destination[file] as number) < 0 && vacated[file] === 0) {
      actions.push({
        type: "delete",
        path: dest.paths[file] as string,
        hash: dest.hashes[file] as string,
      });
    }
  }
  return actions;
}

/** Destination files at a source folder's key, by that key: they must leave before anything is written inside. */
function findBlockingFiles(source: Tree, dest: Tree): Map<string, number> {
  const blocking = new Map<string, number>();
  for (const folder of source.folders) {
    const file = indexOf(dest.keys, folder);
    if (file >= 0) blocking.set(folder, file);
  }
  return blocking;
}

/**
 * Finds the destination folders that must be emptied before some target is
 * written, each with the free files inside it: a folder where the source has
 * a file, and, when case folds, the topmost folder the destination spells
 * otherwise than the source.
 */
function findBarriers(source: Tree, dest: Tree, matching: Matching): Barrier[] {
  const byKey = new Map<string, Barrier>();
  for (const folder of dest.folders) {
    if (indexOf(source.keys, folder) >= 0) byKey.set(folder, new Barrier(folder));
  }
  const misspelled = (folder: string): boolean => {
    const destSpelling = dest.folderSpellings.get(folder);
    return destSpelling !== undefined && destSpelling !== source.folderSpellings.get(folder);
  };
  for (const folder of source.folderSpellings.keys()) {
    const parent = folder.slice(0, Math.max(folder.lastIndexOf("/"), 0));
    if (misspelled(folder) && !misspelled(parent)) byKey.set(folder, new Barrier(folder));
  }
  if (byKey.size === 0) return [];
  const deletes = new Map<Barrier, number[]>();
  for (const file of matching.free) {
    const key = dest.keys[file] as string;
    for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
      const barrier = byKey.get(key.slice(0, end));
      if (barrier === undefined) continue;
      if ((matching.destination[file] as number) >= 0) barrier.files.push(file);
      else {
        const files = deletes.get(barrier);
        if (files === undefined) deletes.set(barrier, [file]);
        else files.push(file);
      }
    }
  }
  for (const [barrier, files] of deletes) barrier.files.push(...files);
  return [...byKey.values()];
}
