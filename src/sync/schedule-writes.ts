import {
  ACTIVE,
  type Barrier,
  type Dependency,
  DONE,
  FreeFile,
  PENDING,
  type Target,
} from "./plan-nodes";
import type { SyncAction } from "./sync-action";

class WriteFrame {
  next = 0;
  constructor(
    readonly target: Target,
    readonly dependencies: readonly Dependency[],
  ) {}
}

class BarrierFrame {
  next = 0;
  constructor(readonly barrier: Barrier) {}
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
 * `targets` must be in path order.
 *
 * Deletes of files that block a write are placed as they are met, just before
 * that write.
 *
 * @internal
 */
export function scheduleWrites(
  targets: readonly Target[],
  dependenciesOf: (target: Target) => readonly Dependency[],
  temporaryName: () => string,
  actions: SyncAction[],
): void {
  const stack: (WriteFrame | BarrierFrame)[] = [];

  const write = (target: Target): void => {
    if (target.kind === "move") {
      actions.push({ type: "move", from: target.from, to: target.path, hash: target.hash });
      (target.source as FreeFile).vacated = true;
    } else {
      const from = target.kind === "copy" ? target.path : target.from;
      actions.push({ type: target.kind, from, to: target.path, hash: target.hash });
    }
    target.state = DONE;
  };

  const start = (target: Target): void => {
    const dependencies = dependenciesOf(target);
    if (dependencies.length === 0) write(target);
    else {
      target.state = ACTIVE;
      stack.push(new WriteFrame(target, dependencies));
    }
  };

  const toTemporary = (mover: Target): void => {
    const to = temporaryName();
    actions.push({ type: "move", from: mover.from, to, hash: mover.hash });
    mover.from = to;
    (mover.source as FreeFile).vacated = true;
  };

  const vacate = (file: FreeFile): void => {
    if (file.vacated) return;
    const mover = file.target;
    if (mover === undefined) {
      actions.push({ type: "delete", path: file.path });
      file.vacated = true;
    } else if (mover.state === ACTIVE) toTemporary(mover);
    else start(mover);
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
    } else if (dependency instanceof FreeFile) vacate(dependency);
    else if (dependency.state === PENDING) {
      dependency.state = ACTIVE;
      stack.push(new BarrierFrame(dependency));
    } else if (dependency.state === ACTIVE) {
      // This move empties the folder it waits for: park its file and leave the
      // move pending. It sorts after the write being resolved (every target
      // before that one is done), so the main loop comes back to it.
      stack.pop();
      const mover = frame.target;
      if (!(mover.source as FreeFile).vacated) toTemporary(mover);
      mover.state = PENDING;
    }
  };

  for (const target of targets) {
    if (target.state !== PENDING) continue;
    start(target);
    for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
      if (frame instanceof BarrierFrame) stepBarrier(frame);
      else stepWrite(frame);
    }
  }
}
