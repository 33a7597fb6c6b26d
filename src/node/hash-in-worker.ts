import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { AbortSignalLike } from "./abort-signal-like";
import { type HashedTree, hashTree, type SkippedEntry, STAT_COLUMNS, treeOf } from "./hash-tree";

/**
 * What the worker is told: a tree to hash, or to stop the one it is hashing.
 *
 * @internal
 */
export type ToWorker =
  | { readonly root: string; readonly cache: string | undefined; readonly checksum: boolean }
  | "stop";

/**
 * What the worker tells: progress, then its tree (paths joined by NUL, hashes
 * end to end, the stats' numbers moved, not copied), or that it failed.
 *
 * @internal
 */
export type FromWorker =
  | { readonly type: "progress"; readonly files: number; readonly bytes: number }
  | {
      readonly type: "done";
      readonly paths: string;
      readonly count: number;
      readonly hashes: string;
      readonly numbers: Float64Array;
      readonly skipped: readonly SkippedEntry[];
      readonly bytes: number;
      readonly readAt: number;
    }
  | { readonly type: "failed" };

/**
 * How the shell uses a worker thread. `script` is the worker's file: the
 * built package has it beside its entry (`hash-worker.js` or `.cjs`); run
 * from the TypeScript source, or bundled into another file, there is none,
 * and everything is hashed on the calling thread. Tests point it at a loader
 * of the source.
 *
 * @internal
 */
export const hashWorker: {
  script: URL | undefined;
  /** A sync starts a worker once its source walk has run this long, unless one is idle (then at once). */
  startAfterMs: number;
  /** An idle worker ends after this long without work. */
  idleMs: number;
} = {
  script: builtScript(),
  // A worker takes 70 to 150 ms to start here: a walk shorter than that is
  // over before the worker could help, and the destination is hashed sooner
  // on this thread.
  startAfterMs: 150,
  idleMs: 30_000,
};

function builtScript(): URL | undefined {
  const here = import.meta.url;
  const extension = /\.c?js$/.exec(here)?.[0];
  /* v8 ignore start -- @preserve: the tests run the source, the package runs the build */
  if (extension === undefined) return undefined;
  const script = new URL(extension === ".cjs" ? "./hash-worker.cjs" : "./hash-worker.js", here);
  return existsSync(script) ? script : undefined;
  /* v8 ignore stop -- @preserve */
}

/** The one worker kept between jobs, and the timer that ends it when unused. */
let idle: { readonly worker: Worker; readonly timer: NodeJS.Timeout } | undefined;

/**
 * Whether a started worker waits for work: then handing it a tree costs
 * nothing, and a sync may do so before it knows how big its trees are.
 *
 * @internal
 */
export function workerIsIdle(): boolean {
  return idle !== undefined;
}

/**
 * Ends the idle worker, if there is one, now.
 *
 * @internal
 */
export async function endIdleWorker(): Promise<void> {
  if (idle === undefined) return;
  const { worker, timer } = idle;
  idle = undefined;
  clearTimeout(timer);
  await worker.terminate();
}

function takeWorker(script: URL): Worker {
  if (idle === undefined) return new Worker(script);
  const { worker, timer } = idle;
  idle = undefined;
  clearTimeout(timer);
  worker.ref();
  return worker;
}

/** Keeps a worker that finished its job for the next one (or ends it, when one is kept already). */
function keepWorker(worker: Worker): void {
  // Never holds the process open, and ends once unused for a while.
  worker.unref();
  if (idle !== undefined) {
    void worker.terminate();
    return;
  }
  // Taking the worker clears the timer: when it fires, the worker is still the idle one.
  const timer = setTimeout(() => {
    idle = undefined;
    void worker.terminate();
  }, hashWorker.idleMs);
  timer.unref();
  idle = { worker, timer };
}

/**
 * A tree being hashed on another thread.
 *
 * @internal
 */
export interface TreeInWorker {
  /** The tree, as {@link hashTree} makes it: from the worker, or hashed on this thread if the worker failed (which then meets the error itself). */
  readonly tree: Promise<HashedTree>;
  /** Stops the worker's walk (within about 20 ms; it saves nothing); the tree is then never read. */
  stop(): void;
}

/** Options of {@link hashInWorker}. @internal */
export interface HashInWorkerOptions {
  readonly cache: string | undefined;
  readonly checksum: boolean;
  readonly signal: AbortSignalLike | undefined;
  /** Called now and then with the files and bytes hashed since the last call. */
  readonly onFiles: (files: number, bytes: number) => void;
}

/**
 * Hashes `root` with {@link hashTree} on a worker thread, so that two trees
 * are read at once, each on its own core (as rsync's sender and receiver
 * read); undefined when there is no worker script.
 *
 * @internal
 */
export function hashInWorker(root: string, options: HashInWorkerOptions): TreeInWorker | undefined {
  const { cache, checksum, signal, onFiles } = options;
  const script = hashWorker.script;
  if (script === undefined) return undefined;
  let worker: Worker;
  try {
    worker = takeWorker(script);
    worker.postMessage({ root, cache, checksum } satisfies ToWorker);
  } catch {
    /* v8 ignore next -- @preserve: a thread that cannot be started (none left) */
    return undefined;
  }
  let stopped = false;
  let settled = false;
  let watch: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (stopped || settled) return;
    stopped = true;
    clearInterval(watch);
    worker.postMessage("stop" satisfies ToWorker);
    // Its last message still comes, and gives it back; the process need not wait for it.
    worker.unref();
  };
  const fromWorker = new Promise<HashedTree | undefined>((resolve, reject) => {
    // The signal has no events to listen to: it is looked at while this thread waits.
    watch = setInterval(() => {
      if (signal?.aborted !== true) return;
      stop();
      try {
        signal.throwIfAborted();
      } catch (reason) {
        reject(reason);
      }
    }, 20);
    const settle = (tree: HashedTree | undefined, reusable: boolean): void => {
      settled = true;
      clearInterval(watch);
      worker.off("message", onMessage);
      worker.off("error", onGone);
      worker.off("exit", onGone);
      if (reusable) keepWorker(worker);
      resolve(tree);
    };
    const onMessage = (message: FromWorker): void => {
      if (message.type !== "progress") {
        settle(message.type === "done" ? decode(message) : undefined, true);
        return;
      }
      if (stopped) return;
      try {
        onFiles(message.files, message.bytes);
      } catch (error) {
        // A progress callback that throws fails the walk, as it does on this
        // thread, instead of escaping from an event listener.
        stop();
        reject(error);
      }
    };
    // A worker that crashed or was ended is not used again.
    const onGone = (): void => settle(undefined, false);
    worker.on("message", onMessage);
    worker.on("error", onGone);
    worker.on("exit", onGone);
  });
  const tree = fromWorker.then((found) => {
    if (stopped) throw new Error("the walk was stopped: its tree is not read");
    return (
      found ??
      hashTree(root, {
        signal,
        ...(cache === undefined ? {} : { cache }),
        checksum,
        onFile: (_, size) => onFiles(1, size),
      })
    );
  });
  // A stopped walk's tree is never awaited: its rejection is expected.
  tree.catch(() => undefined);
  return { tree, stop };
}

/** The tree the worker sent; undefined when its parts do not fit together. */
function decode(message: Extract<FromWorker, { type: "done" }>): HashedTree | undefined {
  const { count, hashes, numbers } = message;
  const paths = count === 0 ? [] : message.paths.split("\0");
  /* v8 ignore next 3 -- @preserve: the worker sends what it read; a check, not a path taken */
  if (
    paths.length !== count ||
    hashes.length !== count * 64 ||
    numbers.length !== count * STAT_COLUMNS
  ) {
    return undefined;
  }
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) files.set(paths[i] as string, hashes.slice(i * 64, i * 64 + 64));
  return treeOf(files, { paths, numbers }, message.skipped, message.bytes, message.readAt);
}
