/** A node not yet scheduled. @internal */
export const PENDING = 0;
/** A node on the scheduler's stack, waiting for what blocks it. @internal */
export const ACTIVE = 1;
/** A node whose actions are in the plan. @internal */
export const DONE = 2;

/** @internal */
export type NodeState = typeof PENDING | typeof ACTIVE | typeof DONE;

/**
 * A destination file that is not already where the source wants it: it either
 * moves to a {@link Target} or is deleted.
 *
 * @internal
 */
export class FreeFile {
  /** The target this file is renamed to; without one the file is deleted. */
  target: Target | undefined = undefined;
  /** True once the file has left its path (moved, even to a temporary name, or deleted). */
  vacated = false;
  /** The next free file of the same content, in a {@link ContentGroup}. */
  next: FreeFile | undefined = undefined;

  constructor(
    readonly path: string,
    readonly key: string,
    readonly hash: string,
  ) {}
}

/**
 * A source path the destination must be given: by a copy from the source, a
 * duplicate of a destination file, or a move of a {@link FreeFile}.
 *
 * @internal
 */
export class Target {
  kind: "copy" | "duplicate" | "move" = "copy";
  /** For a move, the file that moves here. */
  source: FreeFile | undefined = undefined;
  /** For a move, where that file is now; for a duplicate, the destination path to read. */
  from = "";
  /** The free file standing at this target's key, which must leave first. */
  occupant: FreeFile | undefined = undefined;
  state: NodeState = PENDING;
  /** The next target of the same content, in a {@link ContentGroup}. */
  next: Target | undefined = undefined;

  constructor(
    readonly path: string,
    readonly key: string,
    readonly hash: string,
  ) {}
}

/**
 * The targets and free files of one content, as linked lists: most contents
 * have one target and at most one free file, so no arrays are made for them.
 *
 * @internal
 */
export class ContentGroup {
  targetCount = 1;
  freeFiles: FreeFile | undefined = undefined;
  freeCount = 0;
  /** The smallest destination path already holding this content where the source wants it. */
  kept: string | undefined = undefined;

  constructor(public targets: Target) {}

  addTarget(target: Target): void {
    target.next = this.targets;
    this.targets = target;
    this.targetCount += 1;
  }

  addFree(file: FreeFile): void {
    file.next = this.freeFiles;
    this.freeFiles = file;
    this.freeCount += 1;
  }
}

/**
 * A destination folder that must be emptied before a target is written: it
 * stands where the source has a file, or it is spelled in another case than
 * the source spells it.
 *
 * @internal
 */
export class Barrier {
  /** The files inside, those that move first, then those deleted. */
  readonly files: FreeFile[] = [];
  state: NodeState = PENDING;

  constructor(readonly key: string) {}
}

/** What must happen before a target is written. @internal */
export type Dependency = FreeFile | Barrier;
