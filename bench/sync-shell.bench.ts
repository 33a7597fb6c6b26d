/**
 * The sync shell (`syncDirectories`, in-process) beside `rsync` on the same
 * trees, in the same run: each timed run of ours is followed by one of rsync's
 * (their order alternating), on a destination prepared the same way, untimed.
 * Medians of the runs, and the ratio ours / rsync's. The budgets:
 * - a fresh copy of 50,000 files of 4 KiB: at most 1.5x `rsync -a`;
 * - a run with nothing to change on that tree: at most 2x `rsync -a`;
 * - 20,000 files with 30% moved, 5% edited, 5% deleted, 5% new: faster than
 *   `rsync -a --delete`, with the bytes each writes.
 * Each is also run 10x smaller, to show how the cost grows. The mixed case is
 * run twice over: with no cache (a first run: both trees are read in full) and
 * as a later run, with the cache the previous sync left (how users run it:
 * the cache is on by default), where only what the user touched is read. Our
 * hash cache lives in a temporary folder: the fresh copy starts with none (a
 * first run), the no-op run has the one its previous runs left (a later run).
 * It runs the built package (`dist/`), which `npm run bench` builds first.
 * `BENCH_SCALE=0.1 npm run bench -- sync-shell` runs only the small sizes;
 * `BENCH_CASES=fresh,noop,mixed` picks the cases (all three by default).
 * Each budget is printed beside its ratio, met or not met: the machine's
 * load average is printed too, since other work on it weighs on both tools.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { count, interleave, report, type Timing } from "./measure";

// The package as users run it, built (`npm run bench` builds first): run from
// the TypeScript source, the shell has no worker script to start, and hashes
// both trees on one thread. Under tsx, this file's imports of the root and of
// /sync from the built entry still resolve to the source (tsconfig paths),
// the same code; the worker thread loads the built /sync.
const { hashTree, syncDirectories } = (await import(
  new URL("../dist/node/index.js", import.meta.url).href
)) as typeof import("cosmic-allocation/node");

const hasRsync = spawnSync("rsync", ["--version"]).status === 0;
if (!hasRsync) {
  console.log(
    "  rsync is missing, so the shell cannot be measured beside it: install it (`apt-get install rsync` on Debian and Ubuntu, `brew install rsync` on macOS) and run again",
  );
}

const SIZE = 4 << 10;
const scale = Number(process.env.BENCH_SCALE ?? 1);

/** n files of 4 KiB, 100 per folder, in two levels of folders; each file's content is distinct. */
function writeTree(root: string, n: number, seed = 0): string[] {
  const block = randomBytes(SIZE);
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const path = `group-${String(Math.floor(i / 10_000)).padStart(2, "0")}/folder-${String(Math.floor(i / 100) % 100).padStart(2, "0")}/file-${String(i).padStart(6, "0")}.bin`;
    paths.push(path);
    block.writeUInt32LE(i, 0);
    block.writeUInt32LE(seed, 4);
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), block);
  }
  return paths;
}

function rsync(args: readonly string[]): string {
  return execFileSync("rsync", args, { encoding: "utf8", maxBuffer: 1 << 26 });
}

const cases = new Set((process.env.BENCH_CASES ?? "fresh,noop,mixed").split(","));

function ratio(ours: Timing, theirs: Timing): string {
  return `${(ours.medianMs / theirs.medianMs).toFixed(2)}x rsync's time`;
}

/** The budget beside the measured ratio: `at most 1.5x rsync: met`. */
function budget(ours: Timing, theirs: Timing, most: number, words: string): string {
  const met = ours.medianMs / theirs.medianMs;
  return `budget: ${words}: ${met <= most ? "met" : "NOT met"} (${met.toFixed(2)}x)`;
}

console.log(
  `  load average: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(", ")}`,
);

const scratch = mkdtempSync(join(tmpdir(), "cosmic-shell-bench-"));
try {
  if (hasRsync) {
    for (const files of [5_000, 50_000].filter((n) => n <= 50_000 * scale)) {
      const source = join(scratch, `source-${files}`);
      const dest = join(scratch, `dest-${files}`);
      const cache = join(scratch, `cache-${files}`);
      writeTree(source, files);
      const label = `${count(files)} files of 4 KiB`;
      // Each run starts with nothing left to write back from the one before
      // (`sync`, untimed): else a run pays for its predecessor's writes, and
      // a median of a few runs says more about the disk's queue than the tool.
      const fresh = !cases.has("fresh")
        ? []
        : await interleave(5, [
            {
              prepare: () => {
                rmSync(dest, { recursive: true, force: true });
                rmSync(cache, { recursive: true, force: true });
                execFileSync("sync");
              },
              work: () => syncDirectories(source, dest, { cache }),
            },
            {
              prepare: () => {
                rmSync(dest, { recursive: true, force: true });
                execFileSync("sync");
              },
              work: () => rsync(["-a", `${source}/`, `${dest}/`]),
            },
          ]);
      if (fresh.length === 2) {
        const [ours, theirs] = fresh as [Timing, Timing];
        report(`fresh copy, ${label}: syncDirectories`, ours, ratio(ours, theirs));
        report(`fresh copy, ${label}: rsync -a`, theirs, budget(ours, theirs, 1.5, "at most 1.5x"));
      }

      // The no-op runs start from a synced pair; our first one fills the cache.
      if (!cases.has("noop")) {
        rmSync(source, { recursive: true, force: true });
        rmSync(dest, { recursive: true, force: true });
        continue;
      }
      rmSync(dest, { recursive: true, force: true });
      await syncDirectories(source, dest, { cache });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await syncDirectories(source, dest, { cache });
      const noop = await interleave(5, [
        { prepare: () => undefined, work: () => syncDirectories(source, dest, { cache }) },
        { prepare: () => undefined, work: () => rsync(["-a", `${source}/`, `${dest}/`]) },
      ]);
      const [ours, theirs] = noop as [Timing, Timing];
      report(`nothing to change, ${label}: syncDirectories`, ours, ratio(ours, theirs));
      report(
        `nothing to change, ${label}: rsync -a`,
        theirs,
        budget(ours, theirs, 2, "at most 2x"),
      );
      // --checksum is not a budget: measured at the small size only.
      const checksum =
        files > 5_000
          ? []
          : await interleave(3, [
              {
                prepare: () => undefined,
                work: () => syncDirectories(source, dest, { cache, checksum: true }),
              },
              {
                prepare: () => undefined,
                work: () => rsync(["-a", "--checksum", `${source}/`, `${dest}/`]),
              },
            ]);
      if (checksum.length === 2) {
        const [ours, theirs] = checksum as [Timing, Timing];
        report(`nothing to change, ${label}: --checksum`, ours, ratio(ours, theirs));
        report(`nothing to change, ${label}: rsync -a --checksum`, theirs);
      }
      rmSync(source, { recursive: true, force: true });
      rmSync(dest, { recursive: true, force: true });
    }

    for (const files of [2_000, 20_000].filter((n) => cases.has("mixed") && n <= 20_000 * scale)) {
      const pristine = join(scratch, `pristine-${files}`);
      const source = join(scratch, `changed-${files}`);
      const dest = join(scratch, `mixed-dest-${files}`);
      const paths = writeTree(pristine, files);
      // The source: 30% moved to other folders, 5% edited, 5% deleted, 5% new.
      execFileSync("cp", ["-a", pristine, source]);
      const block = randomBytes(SIZE);
      // The source files the user touched: moved, edited or new.
      const touched: string[] = [];
      paths.forEach((path, i) => {
        const roll = (i * 7919) % 100;
        if (roll < 30) {
          const to = join(source, "moved", path.replaceAll("/", "-"));
          mkdirSync(join(to, ".."), { recursive: true });
          execFileSync("mv", [join(source, path), to]);
          touched.push(to);
        } else if (roll < 35) {
          block.writeUInt32LE(i, 0);
          writeFileSync(join(source, path), block);
          touched.push(join(source, path));
        } else if (roll < 40) rmSync(join(source, path));
      });
      for (let i = 0; i < files / 20; i++) {
        block.writeUInt32LE(files + i, 0);
        mkdirSync(join(source, "new"), { recursive: true });
        writeFileSync(join(source, "new", `file-${i}.bin`), block);
        touched.push(join(source, "new", `file-${i}.bin`));
      }
      const cache = join(scratch, `mixed-cache-${files}`);
      // A destination as a previous sync left it: written more than 2 s ago, so
      // a file whose stats are unchanged is known to hold what it held when
      // hashed (files changed within 2 s are read again before a move).
      const restore = () => {
        rmSync(dest, { recursive: true, force: true });
        execFileSync("cp", ["-a", pristine, dest]);
        execFileSync("sleep", ["2.1"]);
      };
      // A later run, as users run it: the cache holds what the previous sync
      // read of both trees, the destination as that sync left it, and the
      // source as it was then; the files the user moved, edited or made since
      // have a new change time (chmod to their own mode), so the cache does
      // not vouch for them and they are read.
      const restoreWithCache = async () => {
        restore();
        await hashTree(dest, { cache });
        await hashTree(source, { cache });
        for (const path of touched) chmodSync(path, statSync(path).mode);
      };
      let ourBytes = 0;
      let ourCachedBytes = 0;
      let theirBytes = 0;
      const mixed = await interleave(5, [
        {
          prepare: restore,
          work: async () => {
            ourBytes = (await syncDirectories(source, dest, { cache: false })).bytesWritten;
          },
        },
        {
          prepare: restoreWithCache,
          work: async () => {
            ourCachedBytes = (await syncDirectories(source, dest, { cache })).bytesWritten;
          },
        },
        {
          prepare: restore,
          work: () => {
            const stats = rsync(["-a", "--delete", "--stats", `${source}/`, `${dest}/`]);
            theirBytes = Number(
              /Total transferred file size: ([\d,]+)/.exec(stats)?.[1]?.replaceAll(",", "") ??
                Number.NaN,
            );
          },
        },
      ]);
      const label = `${count(files)} files, 30% moved, 5% edited, 5% deleted, 5% new`;
      const [first, later, theirs] = mixed as [Timing, Timing, Timing];
      report(
        `${label}: syncDirectories, no cache (both trees read in full)`,
        first,
        `${ratio(first, theirs)}, ${count(ourBytes)} bytes written; ${budget(first, theirs, 1, "faster")}`,
      );
      report(
        `${label}: syncDirectories, a later run (the cache of the previous sync)`,
        later,
        `${ratio(later, theirs)}, ${count(ourCachedBytes)} bytes written; ${budget(later, theirs, 1, "faster")}`,
      );
      report(`${label}: rsync -a --delete`, theirs, `${count(theirBytes)} bytes written`);
      for (const folder of [pristine, source, dest, cache])
        rmSync(folder, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
