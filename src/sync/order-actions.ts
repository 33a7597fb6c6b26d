import { COPY, DUPLICATE, type Matching, MOVE } from "./matching";
import type { Naming } from "./naming";
import { indexOf, type Tree } from "./read-tree";
import type { ScratchMemory } from "./scratch-memory";
import type { SyncAction } from "./sync-action";
import { temporaryNames } from "./temporary-names";

/**
 * What must happen before a target (a source file the destination lacks at
 * its path) is written. Every ordering rule of a plan is one of these:
 *
 * - `"leave"`: the loose destination file `file` must leave its path, because
 *   it stands where the write goes (spelled otherwise, when case folds) or at
 *   a folder of it. It leaves by moving to its own target, or to a temporary
 *   name when that move waits on this write (a cycle), or by being deleted.
 * - `"rescue"`: the stale file `file`, which this write replaces, holds a
 *   content no other destination file gives: the target that reads it (a
 *   duplicate) must run first, or, when that target waits on this write, the
 *   content is duplicated to a temporary name first.
 * - `"empty"`: the destination folder `folder` must be emptied of its loose
 *   files, because a file is written at its path, or it is spelled otherwise
 *   than the source spells it when case folds.
 *
 * Each target's waits are listed deepest folder first, then its own path, and
 * deletes last among them, so that a delete lands just before the write that
 * needs its path.
 *
 * @internal
 */
export type Wait =
  | { readonly for: "leave"; readonly file: number }
  | { readonly for: "rescue"; readonly file: number }
  | { readonly for: "empty"; readonly folder: FolderToEmpty };

const PENDING = 0;
const ACTIVE = 1;
const DONE = 2;

/**
 * A destination folder that must be emptied before a target is written: it
 * stands where the source has a file, or, when case folds, it is spelled
 * otherwise than the source spells it.
 *
 * @internal
 */
export class FolderToEmpty {
  /** The destination indices of the loose files inside: those that move, then those deleted, each in key order. */
  readonly files: number[] = [];
  state: number = PENDING;

  constructor(readonly key: string) {}
}

/** A write being resolved: its waits, walked in order. */
interface WriteFrame {
  readonly target: number;
  readonly waits: readonly Wait[];
  next: number;
}

/** A folder being emptied: its files, walked in order. */
interface EmptyFrame {
  readonly folder: FolderToEmpty;
  next: number;
}

const NO_WAITS: readonly Wait[] = [];

/**
 * Orders a matching into a plan: every target's write, each after what it
 * waits for (see {@link Wait}), then the deletes of loose files no write
 * needed out of the way, in key order.
 *
 * A depth-first walk over the "waits for" graph, with an explicit stack so
 * that a rename chain of any length fits. Each node is finished once, so the
 * walk is linear. A write that waits, through the chain, on itself (a cycle:
 * a swap, a rotation, a case-only rename, a file moving into a folder of its
 * own name) sends the file it needs to a temporary name first, which frees the
 * cycle: moved there when loose, duplicated there when stale (a stale path is
 * never left missing). A move that waits on a folder being emptied while it is
 * itself one of the files that empty it goes to a temporary name and is
 * finished later in the walk.
 *
 * Targets are walked in key order, so a duplicate's first target, which sorts
 * before it, is written before it.
 *
 * @param reserved - the trees whose names a temporary name must avoid: both trees, excluded files included
 * @internal
 */
export function orderActions(
  source: Tree,
  dest: Tree,
  matching: Matching,
  naming: Naming,
  reserved: readonly Tree[],
  memory: ScratchMemory,
): SyncAction[] {
  return new ActionOrder(source, dest, matching, naming, reserved, memory).plan();
}

class ActionOrder {
  /**
   * Sized up front for the writes and the deletes (parked files add a few
   * more): at a million paths, growing it by push would copy it a dozen times.
   */
  private readonly actions: SyncAction[];
  private size = 0;
  /** By source index: PENDING, ACTIVE (on the stack) or DONE. */
  private readonly state: Uint8Array;
  /** By destination index: 1 once a free file's content has left its path, or been read when stale. */
  private readonly vacated: Uint8Array;
  /** Targets whose content waits at a temporary name. */
  private readonly parked = new Map<number, string>();
  private readonly stack: (WriteFrame | EmptyFrame)[] = [];
  /** Destination files at a source folder's key, by that key. */
  private readonly blocking: Map<string, number>;
  private readonly folders: Map<string, FolderToEmpty>;
  private readonly walkFolders: boolean;
  private readonly temporaryName: () => string;

  constructor(
    private readonly source: Tree,
    private readonly dest: Tree,
    private readonly matching: Matching,
    naming: Naming,
    reserved: readonly Tree[],
    memory: ScratchMemory,
  ) {
    let deletes = 0;
    for (let position = 0; position < matching.free.length; position++) {
      if (this.goesNowhere(matching.free[position] as number)) deletes += 1;
    }
    this.actions = new Array<SyncAction>(matching.targets.length + deletes);
    this.state = memory.borrow(Uint8Array, source.count);
    this.vacated = memory.borrow(Uint8Array, dest.count);
    this.blocking = findBlockingFiles(source, dest);
    this.folders = findFoldersToEmpty(source, dest, matching);
    this.walkFolders = this.blocking.size > 0 || this.folders.size > 0;
    this.temporaryName = temporaryNames(reserved, naming);
  }

  plan(): SyncAction[] {
    const { matching, stack } = this;
    const { targets, free } = matching;
    // Indexed loops: a for-of over a typed array makes an iterator result per
    // item, which a million-file plan pays for in scavenges.
    for (let position = 0; position < targets.length; position++) {
      const target = targets[position] as number;
      if (this.state[target] !== PENDING) continue;
      this.start(target);
      for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
        if ("folder" in frame) this.stepEmpty(frame);
        else this.stepWrite(frame);
      }
    }
    for (let position = 0; position < free.length; position++) {
      const file = free[position] as number;
      if (this.goesNowhere(file) && this.vacated[file] === 0) this.delete(file);
    }
    // Stryker disable next-line AssignmentOperator: the count is exact but for parked files, which push past it
    this.actions.length = this.size;
    return this.actions;
  }

  /** Whether free file `file` is deleted: it moves to no target and no write replaces it in place. */
  private goesNowhere(file: number): boolean {
    return (this.matching.destination[file] as number) < 0 && this.matching.stale[file] === 0;
  }

  /** What the write of `target` waits for, in the order to resolve it. */
  private waitsOf(target: number): readonly Wait[] {
    const { occupant, replaced, destination } = this.matching;
    const loose = occupant[target] as number;
    const stale = replaced[target] as number;
    const rescued = stale >= 0 && (destination[stale] as number) >= 0;
    if (!this.walkFolders && loose < 0 && !rescued) return NO_WAITS;
    return this.listWaits(target, loose, rescued ? stale : -1);
  }

  /**
   * The waits of a write that has some, apart from {@link ActionOrder.waitsOf}:
   * the closures here make V8 allocate a context on every call, and most
   * writes have no wait to list.
   */
  private listWaits(target: number, loose: number, rescued: number): readonly Wait[] {
    const { destination } = this.matching;
    const waits: Wait[] = [];
    const deletes: Wait[] = [];
    const leave = (file: number | undefined): void => {
      if (file === undefined || file < 0) return;
      if ((destination[file] as number) < 0) deletes.push({ for: "leave", file });
      else waits.push({ for: "leave", file });
    };
    const empty = (folder: FolderToEmpty | undefined): void => {
      if (folder !== undefined) waits.push({ for: "empty", folder });
    };
    if (this.walkFolders) {
      const key = this.source.keys[target] as string;
      for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
        const folder = key.slice(0, end);
        leave(this.blocking.get(folder));
        empty(this.folders.get(folder));
      }
      empty(this.folders.get(key));
    }
    leave(loose);
    if (rescued >= 0) waits.push({ for: "rescue", file: rescued });
    for (const wait of deletes) waits.push(wait);
    return waits;
  }

  private start(target: number): void {
    const waits = this.waitsOf(target);
    if (waits.length === 0) this.write(target);
    else {
      this.state[target] = ACTIVE;
      this.stack.push({ target, waits, next: 0 });
    }
  }

  private stepWrite(frame: WriteFrame): void {
    const wait = frame.waits[frame.next++];
    if (wait === undefined) {
      this.stack.pop();
      this.write(frame.target);
    } else if (wait.for !== "empty") {
      this.take(wait.file);
    } else if (wait.folder.state === PENDING) {
      wait.folder.state = ACTIVE;
      this.stack.push({ folder: wait.folder, next: 0 });
    } else if (wait.folder.state === ACTIVE) {
      // This move empties the folder it waits for: park its file and leave the
      // move pending. It sorts after the write being resolved (every target
      // before that one is done), so the main loop comes back to it.
      this.stack.pop();
      if (this.vacated[this.matching.mover[frame.target] as number] === 0) {
        this.toTemporary(frame.target);
      }
      this.state[frame.target] = PENDING;
    }
  }

  private stepEmpty(frame: EmptyFrame): void {
    const file = frame.folder.files[frame.next++];
    if (file !== undefined) this.take(file);
    else {
      frame.folder.state = DONE;
      this.stack.pop();
    }
  }

  /** Takes the content of free file `file` where it goes: its target's write, a temporary name, or nowhere (a delete). */
  private take(file: number): void {
    if (this.vacated[file] === 1) return;
    const target = this.matching.destination[file] as number;
    if (target < 0) this.delete(file);
    else if (this.state[target] === ACTIVE) this.toTemporary(target);
    else this.start(target);
  }

  private write(target: number): void {
    const { source, dest, matching } = this;
    const to = source.paths[target] as string;
    const hash = source.hashes[target] as string;
    const stale = matching.replaced[target] as number;
    const replaces = stale >= 0 ? (dest.hashes[stale] as string) : null;
    const what = matching.kind[target];
    if (what === COPY) {
      this.add({ type: "copy", from: to, to, hash, replaces });
    } else if (what === DUPLICATE) {
      const from = matching.anchor[target] as number;
      const path = (from >= 0 ? source.paths[from] : dest.paths[-1 - from]) as string;
      this.add({ type: "duplicate", from: path, to, hash, replaces });
    } else {
      // A MOVE, or a RESCUE: a stale file is read in place, unless parked.
      const mover = matching.mover[target] as number;
      const parked = this.parked.get(target);
      if (parked !== undefined) {
        this.add({ type: "move", from: parked, to, hash, replaces });
      } else {
        const from = dest.paths[mover] as string;
        const type = what === MOVE ? "move" : "duplicate";
        this.add({ type, from, to, hash, replaces });
      }
      this.vacated[mover] = 1;
    }
    this.state[target] = DONE;
  }

  private add(action: SyncAction): void {
    this.actions[this.size++] = action;
  }

  /** Sends the content a MOVE or RESCUE target needs to a temporary name, which frees its file. */
  private toTemporary(target: number): void {
    const { source, dest, matching } = this;
    const mover = matching.mover[target] as number;
    const to = this.temporaryName();
    const from = this.parked.get(target) ?? (dest.paths[mover] as string);
    const hash = source.hashes[target] as string;
    const type = matching.kind[target] === MOVE ? "move" : "duplicate";
    this.add({ type, from, to, hash, replaces: null });
    this.parked.set(target, to);
    this.vacated[mover] = 1;
  }

  private delete(file: number): void {
    const { dest } = this;
    this.add({
      type: "delete",
      path: dest.paths[file] as string,
      hash: dest.hashes[file] as string,
    });
    this.vacated[file] = 1;
  }
}

/** Destination files at a source folder's key, by that key: they must leave before anything is written inside. */
function findBlockingFiles(source: Tree, dest: Tree): Map<string, number> {
  const blocking = new Map<string, number>();
  for (const folder of source.folders) {
    const file = indexOf(dest, folder);
    if (file >= 0) blocking.set(folder, file);
  }
  return blocking;
}

/**
 * Finds the destination folders that must be emptied before some target is
 * written, each with the loose files inside it: a folder where the source has
 * a file, and, when case folds, the topmost folder the destination spells
 * otherwise than the source.
 */
function findFoldersToEmpty(
  source: Tree,
  dest: Tree,
  matching: Matching,
): Map<string, FolderToEmpty> {
  const byKey = new Map<string, FolderToEmpty>();
  for (const folder of dest.folders) {
    if (indexOf(source, folder) >= 0) byKey.set(folder, new FolderToEmpty(folder));
  }
  const misspelled = (folder: string): boolean => {
    const destSpelling = dest.folderSpellings.get(folder);
    return destSpelling !== undefined && destSpelling !== source.folderSpellings.get(folder);
  };
  for (const folder of source.folderSpellings.keys()) {
    const parent = folder.slice(0, Math.max(folder.lastIndexOf("/"), 0));
    if (misspelled(folder) && !misspelled(parent)) byKey.set(folder, new FolderToEmpty(folder));
  }
  if (byKey.size === 0) return byKey;
  const deletes = new Map<FolderToEmpty, number[]>();
  for (let position = 0; position < matching.free.length; position++) {
    const file = matching.free[position] as number;
    // A stale file is spelled as the source spells a file, so it lies in no such folder.
    if (matching.stale[file] === 1) continue;
    const key = dest.keys[file] as string;
    for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
      const folder = byKey.get(key.slice(0, end));
      if (folder === undefined) continue;
      if ((matching.destination[file] as number) >= 0) folder.files.push(file);
      else {
        const files = deletes.get(folder);
        if (files === undefined) deletes.set(folder, [file]);
        else files.push(file);
      }
    }
  }
  // One push per file: spreading a folder of 100,000+ files into push() overflows the call stack.
  for (const [folder, files] of deletes) for (const file of files) folder.files.push(file);
  return byKey;
}
