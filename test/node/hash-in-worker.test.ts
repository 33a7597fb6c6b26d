import { chmodSync, lstatSync, realpathSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { hashTree, syncDirectories } from "cosmic-allocation/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HashCache, RACY_MS } from "../../src/node/hash-cache";
import {
  endIdleWorker,
  hashInWorker,
  hashWorker,
  workerIsIdle,
} from "../../src/node/hash-in-worker";
import { makeFolder, readFiles, removeFolders, writeFiles } from "./folders";

const loader = new URL("./hash-worker-loader.mjs", import.meta.url);
const built = { ...hashWorker };

beforeEach(() => {
  hashWorker.script = loader;
  hashWorker.startAfterMs = 0;
});
afterEach(async () => {
  Object.assign(hashWorker, built);
  vi.restoreAllMocks();
  await endIdleWorker();
  removeFolders();
});

/** Waits until the worker a stopped walk used is back and idle (then afterEach can end it). */
async function untilIdle(): Promise<void> {
  for (let wait = 0; !workerIsIdle() && wait < 250; wait++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const noOptions = { cache: undefined, checksum: false, signal: undefined, onFiles: () => {} };

/** Counts the workers started while `run` runs. */
async function workersStartedBy<T>(run: () => Promise<T>): Promise<[T, number]> {
  const channel = new BroadcastChannel("cosmic-sync-hash-worker");
  let started = 0;
  channel.onmessage = () => {
    started += 1;
  };
  try {
    const result = await run();
    // The channel's message may trail the worker's own.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return [result, started];
  } finally {
    channel.close();
  }
}

/** A source and a stale destination that differ in every way a sync handles. */
function staleMirror(): { source: string; dest: string } {
  const source = makeFolder();
  const dest = makeFolder();
  writeFiles(source, { "a/b": "moved", c: "edited", "d/e": "same", f: "new", script: "#!/bin/sh" });
  writeFiles(dest, {
    "old/b": "moved",
    c: "stale",
    "d/e": "same",
    gone: "deleted",
    script: "#!/bin/sh",
  });
  chmodSync(join(source, "script"), 0o755);
  utimesSync(join(source, "d/e"), 1_000_000, 1_000_000);
  writeFileSync(join(dest, "bad-\uFFFD-name"), "a valid name that spells U+FFFD");
  return { source, dest };
}

describe("hashing the destination on a worker thread", () => {
  it("a tree hashed on a worker is the tree hashed on this thread", async () => {
    const { dest } = staleMirror();
    const here = await hashTree(dest);
    let files = 0;
    let bytes = 0;
    const [elsewhere, started] = await workersStartedBy(async () => {
      const job = hashInWorker(dest, {
        cache: undefined,
        checksum: false,
        signal: undefined,
        onFiles: (n, size) => {
          files += n;
          bytes += size;
        },
      });
      return job?.tree;
    });
    expect(started).toBe(1);
    expect(elsewhere?.files).toEqual(here.files);
    expect([...(elsewhere?.files.keys() ?? [])]).toEqual([...here.files.keys()]);
    expect(elsewhere?.stats).toEqual(here.stats);
    expect(elsewhere?.skipped).toEqual(here.skipped);
    expect(elsewhere?.bytes).toBe(here.bytes);
    expect([files, bytes]).toEqual([here.files.size, here.bytes]);
  });

  it("a sync that hashes its destination on a worker does what it does on one thread", async () => {
    const one = staleMirror();
    const two = staleMirror();
    const [withWorker, started] = await workersStartedBy(() =>
      syncDirectories(one.source, one.dest),
    );
    hashWorker.script = undefined;
    const onThread = await syncDirectories(two.source, two.dest);
    expect(started).toBe(1);
    expect(withWorker).toEqual(onThread);
    expect(readFiles(one.dest)).toEqual(readFiles(two.dest));
  });

  it("a source walked in less time than a worker takes to start hashes both trees on this thread", async () => {
    hashWorker.startAfterMs = 60_000;
    const { source, dest } = staleMirror();
    const [summary, started] = await workersStartedBy(() => syncDirectories(source, dest));
    expect(started).toBe(0);
    expect(readFiles(dest)).toEqual(readFiles(source));
    expect(summary.copied + summary.moved + summary.duplicated).toBeGreaterThan(0);
  });

  it("the worker keeps the hashes it read in the cache, for a later run", async () => {
    const { dest } = staleMirror();
    const cache = makeFolder();
    // A hash is kept only for a file unchanged for 2 s when it was read.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    const job = hashInWorker(dest, {
      cache,
      checksum: false,
      signal: undefined,
      onFiles: () => {},
    });
    const tree = await job?.tree;
    const kept = HashCache.load(cache, realpathSync(dest));
    const found = [...(tree?.files.keys() ?? [])].map((path) => [
      path,
      kept.get(path, lstatSync(join(dest, path))),
    ]);
    expect(found.length).toBeGreaterThan(0);
    expect(new Map(found as [string, string][])).toEqual(tree?.files);
  });

  it("when the worker cannot hash the tree, this thread does, and meets the error itself", async () => {
    const missing = join(makeFolder(), "missing");
    const job = hashInWorker(missing, noOptions);
    await expect(job?.tree).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("a worker that cannot start leaves the tree to this thread", async () => {
    hashWorker.script = new URL("./no-such-worker.mjs", import.meta.url);
    const { dest } = staleMirror();
    const job = hashInWorker(dest, noOptions);
    expect((await job?.tree)?.files).toEqual((await hashTree(dest)).files);
  });

  it("an abort while waiting for the worker rejects with the signal's reason", async () => {
    const { dest } = staleMirror();
    const controller = new AbortController();
    const job = hashInWorker(dest, {
      cache: undefined,
      checksum: false,
      signal: controller.signal,
      onFiles: () => {},
    });
    controller.abort(new Error("stop now"));
    await expect(job?.tree).rejects.toThrow("stop now");
    await untilIdle();
  });
  it("a worker left idle takes the next sync's destination at once, and no other starts", async () => {
    const one = staleMirror();
    const [, first] = await workersStartedBy(() => syncDirectories(one.source, one.dest));
    expect(first).toBe(1);
    expect(workerIsIdle()).toBe(true);
    // However short the walk: an idle worker costs nothing to start.
    hashWorker.startAfterMs = 60_000;
    const jobs = vi.spyOn(Worker.prototype, "postMessage");
    const two = staleMirror();
    const [summary, second] = await workersStartedBy(() => syncDirectories(two.source, two.dest));
    expect(second).toBe(0);
    expect(jobs).toHaveBeenCalledWith({
      root: realpathSync(two.dest),
      cache: expect.any(String),
      checksum: false,
    });
    expect(readFiles(two.dest)).toEqual(readFiles(two.source));
    expect(summary.moved).toBeGreaterThan(0);
  });

  it("an idle worker ends once unused for its idle time", async () => {
    hashWorker.idleMs = 20;
    const { dest } = staleMirror();
    await hashInWorker(dest, noOptions)?.tree;
    expect(workerIsIdle()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(workerIsIdle()).toBe(false);
  });

  it("a stopped walk is never finished on this thread, and its worker is kept for the next", async () => {
    const { dest } = staleMirror();
    const job = hashInWorker(dest, noOptions);
    job?.stop();
    await expect(job?.tree).rejects.toThrow("stopped");
    await untilIdle();
    expect(workerIsIdle()).toBe(true);
  });
  it("of two workers done at once, one is kept idle and the other ends", async () => {
    const one = staleMirror();
    const two = staleMirror();
    const [, started] = await workersStartedBy(() =>
      Promise.all([
        hashInWorker(one.dest, noOptions)?.tree,
        hashInWorker(two.dest, noOptions)?.tree,
      ]),
    );
    expect(started).toBe(2);
    expect(workerIsIdle()).toBe(true);
    const jobs = vi.spyOn(Worker.prototype, "postMessage");
    const [again, startedAgain] = await workersStartedBy(
      async () => hashInWorker(one.dest, noOptions)?.tree,
    );
    expect(startedAgain).toBe(0);
    expect(jobs).toHaveBeenCalledTimes(1);
    expect(again?.files).toEqual((await hashTree(one.dest)).files);
  });

  it("without a worker script, nothing is started and the caller hashes the tree itself", () => {
    hashWorker.script = undefined;
    expect(hashInWorker(makeFolder(), noOptions)).toBeUndefined();
  });
  it("a progress callback that throws fails the walk with its error, as on this thread", async () => {
    const source = makeFolder();
    writeFiles(
      source,
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, `content ${i}`])),
    );
    const job = hashInWorker(source, {
      ...noOptions,
      onFiles: () => {
        throw new Error("progress display broke");
      },
    });
    await expect(job?.tree).rejects.toThrow("progress display broke");
    await untilIdle();
    expect(workerIsIdle()).toBe(true);
  });
});
