import { COPY, type Matching, MOVE } from "./matching";
import type { Tree } from "./read-tree";
import type { SyncAction } from "./sync-action";

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
export class Barrier {
  /** The destination indices of the free files inside: those that move, then those deleted, each in key order. */
  readonly files: number[] = [];
  state: number = PENDING;

  constructor(readonly key: string) {}
}

/**
 * What must happen before a target is written: a destination index `i >= 0`
 * is a free file that must leave its path; `-1 - b` is barrier `b`.
 *
 * @internal
 */
export type Dependencies = readonly number[];

interface WriteFrame {
  readonly target: number;
  readonly dependencies: Dependencies;
  next: number;
}

interface BarrierFrame {
  readonly barrier: Barrier;
  next: number;
}

/**
 * Appends to `actions` every target's write, each after what blocks it: the
 * file at its path leaves, a file at a folder of its path leaves, a folder at
 * its path (or a folder of it spelled in another case) empties.
 *
 * A depth-first walk over that "waits for" graph, with an explicit stack so
 * that a rename chain of any length fits. Each node is finished once, so the
 * walk is linear. A move that waits, through the chain, on its own file (a
 * cycle: a swap, a rotation, a case-only rename, a file moving into a folder of
 * its own name) moves that file to a temporary name first, which frees the
 * cycle; the move later leaves the temporary name for its target. A move that
 * waits on a folder being emptied while it is itself one of the files that
 * empty it goes to a temporary name and is finished later in the walk.
 *
 * Targets are walked in key order, so a duplicate's first target, which sorts
 * before it, is written before it. Deletes of files that block a write are
 * placed as they are met, just before that write.
 *
 * @returns by destination index, 1 for each file that left its path
 * @internal
 */
export function scheduleWrites(
  source: Tree,
  dest: Tree,
  matching: Matching,
  barriers: readonly Barrier[],
  dependenciesOf: (target: number) => Dependencies,
  temporaryName: () => string,
  actions: SyncAction[],
): Uint8Array {
  const { kind, mover, anchor, destination } = matching;
  const state = new Uint8Array(source.keys.length);
  const vacated = new Uint8Array(dest.keys.length);
  /** Targets whose mover waits at a temporary name. */
  const parked = new Map<number, string>();
  const stack: (WriteFrame | BarrierFrame)[] = [];

  const currentPath = (target: number): string =>
    parked.get(target) ?? (dest.paths[mover[target] as number] as string);

  const write = (target: number): void => {
    const to = source.paths[target] as string;
    const hash = source.hashes[target] as string;
    const what = kind[target];
    if (what === MOVE) {
      actions.push({ type: "move", from: currentPath(target), to, hash, replaces: null });
      vacated[mover[target] as number] = 1;
    } else if (what === COPY) {
      actions.push({ type: "copy", from: to, to, hash, replaces: null });
    } else {
      const from = anchor[target] as number;
      const path = from >= 0 ? source.paths[from] : dest.paths[-1 - from];
      actions.push({ type: "duplicate", from: path as string, to, hash, replaces: null });
    }
    state[target] = DONE;
  };

  const start = (target: number): void => {
    const dependencies = dependenciesOf(target);
    if (dependencies.length === 0) write(target);
    else {
      state[target] = ACTIVE;
      stack.push({ target, dependencies, next: 0 });
    }
  };

  const toTemporary = (target: number): void => {
    const to = temporaryName();
    actions.push({
      type: "move",
      from: currentPath(target),
      to,
      hash: source.hashes[target] as string,
      replaces: null,
    });
    parked.set(target, to);
    vacated[mover[target] as number] = 1;
  };

  const vacate = (file: number): void => {
    if (vacated[file] === 1) return;
    const target = destination[file] as number;
    if (target < 0) {
      actions.push({
        type: "delete",
        path: dest.paths[file] as string,
        hash: dest.hashes[file] as string,
      });
      vacated[file] = 1;
    } else if (state[target] === ACTIVE) toTemporary(target);
    else start(target);
  };

  const stepBarrier = (frame: BarrierFrame): void => {
    const file = frame.barrier.files[frame.next++];
    if (file !== undefined) vacate(file);
    else {
      frame.barrier.state = DONE;
      stack.pop();
    }
  };

  const stepWrite = (frame: WriteFrame): void => {
    const dependency = frame.dependencies[frame.next++];
    if (dependency === undefined) {
      stack.pop();
      write(frame.target);
      return;
    }
    if (dependency >= 0) {
      vacate(dependency);
      return;
    }
    const barrier = barriers[-1 - dependency] as Barrier;
    if (barrier.state === PENDING) {
      barrier.state = ACTIVE;
      stack.push({ barrier, next: 0 });
    } else if (barrier.state === ACTIVE) {
      // This move empties the folder it waits for: park its file and leave the
      // move pending. It sorts after the write being resolved (every target
      // before that one is done), so the main loop comes back to it.
      stack.pop();
      if (vacated[mover[frame.target] as number] === 0) toTemporary(frame.target);
      state[frame.target] = PENDING;
    }
  };

  for (const target of matching.targets) {
    if (state[target] !== PENDING) continue;
    start(target);
    for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
      if ("barrier" in frame) stepBarrier(frame);
      else stepWrite(frame);
    }
  }
  return vacated;
}
