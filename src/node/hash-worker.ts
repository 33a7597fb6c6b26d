/**
 * The worker thread's side of {@link hashInWorker}: hashes the trees it is
 * sent with {@link hashTree}, one at a time, and posts each back in a few
 * flat messages. It stays up between jobs (code compiled and warm) until the
 * calling thread ends it. Built as its own file (`dist/node/hash-worker.js`
 * and `.cjs`), never imported by the entries.
 *
 * @internal
 * @module
 */
import { parentPort } from "node:worker_threads";
import type { FromWorker, ToWorker } from "./hash-in-worker";
import { columnsOf, hashTree, STAT_COLUMNS } from "./hash-tree";

/* v8 ignore next 3 -- @preserve: only ever started as a worker */
if (parentPort === null) {
  throw new Error("hash-worker runs only as a worker thread, started by hashInWorker");
}
const port = parentPort;
let controller = new AbortController();

port.on("message", (message: ToWorker) => {
  if (message === "stop") controller.abort();
  else {
    controller = new AbortController();
    void run(message, controller.signal);
  }
});

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

/** Hashes one tree and posts it; never throws (a failure is a message too). */
async function run(job: Extract<ToWorker, object>, signal: AbortSignal): Promise<void> {
  let files = 0;
  let bytes = 0;
  try {
    const tree = await hashTree(job.root, {
      signal,
      ...(job.cache === undefined ? {} : { cache: job.cache }),
      checksum: job.checksum,
      onFile: (_, size) => {
        files += 1;
        bytes += size;
        // A message per file would cost more than the hashing it reports.
        if (files === 256) {
          post({ type: "progress", files, bytes });
          files = 0;
          bytes = 0;
        }
      },
    });
    if (files > 0) post({ type: "progress", files, bytes });
    const { paths, numbers } = columnsOf(tree);
    // One string for the paths (a name holds no NUL) and one for the hashes (64
    // characters each): two copies across threads instead of a map of entries.
    const used = numbers.slice(0, paths.length * STAT_COLUMNS);
    post(
      {
        type: "done",
        paths: paths.join("\0"),
        count: paths.length,
        hashes: [...tree.files.values()].join(""),
        numbers: used,
        skipped: tree.skipped,
        bytes: tree.bytes,
        readAt: tree.readAt,
      },
      [used.buffer as ArrayBuffer],
    );
  } catch {
    // The calling thread hashes the tree itself, and meets the error with all its details.
    post({ type: "failed" });
  }
}
