import type { Naming } from "./naming";
import { Barrier, ContentGroup, type Dependency, FreeFile, Target } from "./plan-nodes";
import { indexOf, type Tree } from "./read-tree";
import { scheduleWrites } from "./schedule-writes";
import { sortByKey } from "./sorted-order";
import type { SyncAction } from "./sync-action";
import { temporaryNames } from "./temporary-names";

/**
 * Plans the actions that turn the destination tree into the source tree. See
 * `determineActions` for the contract; this is its core on validated trees.
 *
 * @internal
 */
export function planSync(source: Tree, dest: Tree, naming: Naming): SyncAction[] {
  const { targets, free, kept } = compareTrees(source, dest, naming.foldsCase);

  const groups = new Map<string, ContentGroup>();
  for (const target of targets) {
    const group = groups.get(target.hash);
    if (group === undefined) groups.set(target.hash, new ContentGroup(target));
    else group.addTarget(target);
  }
  const deleted: FreeFile[] = [];
  for (const file of free) {
    const group = groups.get(file.hash);
    if (group === undefined) deleted.push(file);
    else group.addFree(file);
  }
  findKeptCopies(source, kept, groups);
  for (const group of groups.values()) assignSources(group, deleted);

  const blockingFiles = findBlockingFiles(source, dest, free);
  const barriers = findBarriers(source, dest, free);
  const walkAncestors = blockingFiles.size > 0 || barriers.size > 0;

  const dependenciesOf = (target: Target): readonly Dependency[] => {
    if (!walkAncestors && target.occupant === undefined) return NONE;
    const first: Dependency[] = [];
    const deletes: FreeFile[] = [];
    const add = (file: FreeFile | undefined): void => {
      if (file === undefined || file.vacated) return;
      if (file.target === undefined) deletes.push(file);
      else first.push(file);
    };
    if (walkAncestors) {
      const key = target.key;
      for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
        const folder = key.slice(0, end);
        add(blockingFiles.get(folder));
        const barrier = barriers.get(folder);
        if (barrier !== undefined) first.push(barrier);
      }
      const barrier = barriers.get(key);
      if (barrier !== undefined) first.push(barrier);
    }
    add(target.occupant);
    return deletes.length === 0 ? first : [...first, ...deletes];
  };

  const actions: SyncAction[] = [];
  scheduleWrites(targets, dependenciesOf, temporaryNames([source, dest], naming), actions);
  for (const file of sortByKey(deleted)) {
    if (!file.vacated) actions.push({ type: "delete", path: file.path });
  }
  return actions;
}

const NONE: readonly Dependency[] = [];

interface Comparison {
  /** Source files the destination lacks at their path, in key order. */
  readonly targets: Target[];
  /** Destination files not already where the source wants them, in key order. */
  readonly free: FreeFile[];
  /** Indices of source files the destination already has, in key order. */
  readonly kept: number[];
}

/**
 * Walks both trees in key order, side by side: a file with the same key,
 * content (and spelling, when case folds) in both is kept; any other source
 * file is a target, any other destination file is free.
 */
function compareTrees(source: Tree, dest: Tree, foldsCase: boolean): Comparison {
  const targets: Target[] = [];
  const free: FreeFile[] = [];
  const kept: number[] = [];
  const sourceKeys = source.keys;
  const destKeys = dest.keys;
  let i = 0;
  let j = 0;
  while (i < sourceKeys.length && j < destKeys.length) {
    const sourceKey = sourceKeys[i] as string;
    const destKey = destKeys[j] as string;
    if (sourceKey === destKey) {
      const hash = source.hashes[i] as string;
      if (hash === dest.hashes[j] && (!foldsCase || source.spellings[i] === dest.spellings[j])) {
        kept.push(i);
      } else {
        const target = new Target(source.paths[i] as string, sourceKey, hash);
        const occupant = new FreeFile(dest.paths[j] as string, destKey, dest.hashes[j] as string);
        target.occupant = occupant;
        targets.push(target);
        free.push(occupant);
      }
      i++;
      j++;
    } else if (sourceKey < destKey) {
      targets.push(new Target(source.paths[i] as string, sourceKey, source.hashes[i] as string));
      i++;
    } else {
      free.push(new FreeFile(dest.paths[j] as string, destKey, dest.hashes[j] as string));
      j++;
    }
  }
  for (; i < sourceKeys.length; i++) {
    targets.push(
      new Target(source.paths[i] as string, sourceKeys[i] as string, source.hashes[i] as string),
    );
  }
  for (; j < destKeys.length; j++) {
    free.push(
      new FreeFile(dest.paths[j] as string, destKeys[j] as string, dest.hashes[j] as string),
    );
  }
  return { targets, free, kept };
}

/**
 * For each content with more targets than free files, finds the first file in
 * key order that already holds it in place, to duplicate from.
 */
function findKeptCopies(
  source: Tree,
  kept: readonly number[],
  groups: Map<string, ContentGroup>,
): void {
  const needy = new Map<string, ContentGroup>();
  // A bit per fingerprint of the needy hashes: most kept files are ruled out without a map lookup.
  const filter = new Uint8Array(FILTER_BYTES);
  for (const [hash, group] of groups) {
    if (group.targetCount <= group.freeCount) continue;
    needy.set(hash, group);
    const bit = fingerprint(hash);
    filter[bit >>> 3] = (filter[bit >>> 3] as number) | (1 << (bit & 7));
  }
  for (let n = 0; n < kept.length && needy.size > 0; n++) {
    const i = kept[n] as number;
    const hash = source.hashes[i] as string;
    const bit = fingerprint(hash);
    if (((filter[bit >>> 3] as number) & (1 << (bit & 7))) === 0) continue;
    const group = needy.get(hash);
    if (group === undefined) continue;
    group.kept = source.paths[i] as string;
    needy.delete(hash);
  }
}

const FILTER_BYTES = 1 << 17;

/** A cheap 20-bit fingerprint of a content hash, from its length and a few of its characters. */
function fingerprint(hash: string): number {
  const last = hash.length - 1;
  return (
    (hash.charCodeAt(last) * 31 +
      hash.charCodeAt(last - 1) * 961 +
      hash.charCodeAt(last >>> 1) * 29791 +
      hash.charCodeAt(0) * 923521 +
      hash.length) &
    0xfffff
  );
}

/**
 * Decides how each target of one content gets it: the first targets take the
 * free files of that content by moves (both in key order), the rest duplicate
 * a file already in place, or the first target when the destination lacks the
 * content, which is then copied once. Free files left over are deleted.
 *
 * A duplicate of the first target needs no dependency on it: writes run in
 * key order, so the first target is written before any of its duplicates starts.
 */
function assignSources(group: ContentGroup, deleted: FreeFile[]): void {
  if (group.targetCount === 1 && group.freeCount <= 1) {
    const file = group.freeFiles;
    if (file !== undefined) pair(group.targets, file);
    else if (group.kept !== undefined) duplicate(group.targets, group.kept);
    return;
  }
  const targets = sortByKey(listOf(group.targets));
  const free = sortByKey(listOf(group.freeFiles));
  const moves = Math.min(targets.length, free.length);
  for (let i = 0; i < moves; i++) pair(targets[i] as Target, free[i] as FreeFile);
  for (let i = moves; i < free.length; i++) deleted.push(free[i] as FreeFile);
  const anchor = group.kept ?? (targets[0] as Target).path;
  for (let i = group.kept === undefined ? Math.max(moves, 1) : moves; i < targets.length; i++) {
    duplicate(targets[i] as Target, anchor);
  }
}

function pair(target: Target, file: FreeFile): void {
  target.kind = "move";
  target.source = file;
  target.from = file.path;
  file.target = target;
}

function duplicate(target: Target, from: string): void {
  target.kind = "duplicate";
  target.from = from;
}

function listOf<T extends { readonly next: T | undefined }>(first: T | undefined): T[] {
  const list: T[] = [];
  for (let item = first; item !== undefined; item = item.next) list.push(item);
  return list;
}

/** Destination files at a source folder's key: they must leave before anything is written inside. */
function findBlockingFiles(
  source: Tree,
  dest: Tree,
  free: readonly FreeFile[],
): Map<string, FreeFile> {
  const blocking = new Map<string, FreeFile>();
  for (const folder of source.folders) {
    if (indexOf(dest.keys, folder) >= 0)
      blocking.set(folder, free[indexOfFree(free, folder)] as FreeFile);
  }
  return blocking;
}

function indexOfFree(free: readonly FreeFile[], key: string): number {
  let lo = 0;
  let hi = free.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((free[mid] as FreeFile).key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Finds the destination folders that must be emptied before some target is
 * written, keyed by folder key, each with the free files inside it (those that
 * move first, then those deleted, each in key order): a folder where the
 * source has a file, and, when case folds, the topmost folder the destination
 * spells otherwise than the source.
 */
function findBarriers(source: Tree, dest: Tree, free: readonly FreeFile[]): Map<string, Barrier> {
  const barriers = new Map<string, Barrier>();
  for (const folder of dest.folders) {
    if (indexOf(source.keys, folder) >= 0) barriers.set(folder, new Barrier(folder));
  }
  const misspelled = (folder: string): boolean => {
    const destSpelling = dest.folderSpellings.get(folder);
    return destSpelling !== undefined && destSpelling !== source.folderSpellings.get(folder);
  };
  for (const folder of source.folderSpellings.keys()) {
    const parent = folder.slice(0, Math.max(folder.lastIndexOf("/"), 0));
    if (misspelled(folder) && !misspelled(parent)) barriers.set(folder, new Barrier(folder));
  }
  if (barriers.size === 0) return barriers;
  const deletes = new Map<Barrier, FreeFile[]>();
  for (const file of free) {
    const key = file.key;
    for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
      const barrier = barriers.get(key.slice(0, end));
      if (barrier === undefined) continue;
      if (file.target !== undefined) barrier.files.push(file);
      else {
        const files = deletes.get(barrier);
        if (files === undefined) deletes.set(barrier, [file]);
        else files.push(file);
      }
    }
  }
  for (const [barrier, files] of deletes) barrier.files.push(...files);
  return barriers;
}
