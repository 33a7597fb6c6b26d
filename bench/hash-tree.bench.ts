/**
 * hashTree against `sha256sum` on the same trees, in MB/s: a tree of large
 * files (hashing and reading dominate) and one of many small files (walking
 * and opening dominate). The trees are written to a temporary folder and
 * removed afterwards; both tools read them from the page cache after a warm-up.
 * hashTree reads one file at a time on one thread; sha256sum is also run as 2
 * processes (this machine has 2 cores) for comparison. The budget (20,000
 * files of 4 KiB: at least the MB/s of one sha256sum) is printed met or not,
 * with the load average, since other work on the machine weighs on both.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { hashTree } from "cosmic-allocation/node";
import { count, interleave, report, type Timing } from "./measure";

interface Shape {
  readonly label: string;
  readonly files: number;
  readonly size: number;
}

// The budget: hashTree on 20,000 files of 4 KiB at least the MB/s of one
// sha256sum process; 2,000 files shows how the cost grows.
const shapes: readonly (Shape & { readonly budget?: true })[] = [
  { label: "64 files of 4 MiB", files: 64, size: 4 << 20 },
  { label: "2,000 files of 4 KiB in 80 folders", files: 2_000, size: 4 << 10 },
  { label: "20,000 files of 4 KiB in 80 folders", files: 20_000, size: 4 << 10, budget: true },
];

console.log(
  `  load average: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(", ")}`,
);

function writeTree(root: string, { files, size }: Shape): void {
  const block = randomBytes(size);
  for (let i = 0; i < files; i++) {
    const folder = join(root, `folder-${i % 80}`);
    mkdirSync(folder, { recursive: true });
    // Differ in the first bytes so that no two files share a hash.
    block.writeUInt32LE(i, 0);
    writeFileSync(join(folder, `file-${i}.bin`), block);
  }
}

function megabytesPerSecond(bytes: number, timing: Timing): string {
  return `${count(bytes / 1e6 / (timing.medianMs / 1000))} MB/s`;
}

const root = mkdtempSync(join(tmpdir(), "cosmic-hash-bench-"));
try {
  for (const shape of shapes) {
    const tree = join(root, shape.label.replace(/\W+/g, "-"));
    writeTree(tree, shape);
    const bytes = shape.files * shape.size;
    const sha256sum = (parallel: number) => () =>
      execFileSync("sh", [
        "-c",
        `find "$1" -type f -print0 | xargs -0 -P ${parallel} -n 2000 sha256sum > /dev/null`,
        "sh",
        tree,
      ]);
    // Warm the page cache (and the JIT) once for all, then interleave the runs.
    await hashTree(tree);
    sha256sum(1)();
    const [ours, one, two] = (await interleave(5, [
      { work: () => hashTree(tree) },
      { work: sha256sum(1) },
      { work: sha256sum(2) },
    ])) as [Timing, Timing, Timing];
    report(`hashTree, ${shape.label}`, ours, megabytesPerSecond(bytes, ours));
    report(`sha256sum, ${shape.label}`, one, megabytesPerSecond(bytes, one));
    report(`sha256sum in 2 processes, ${shape.label}`, two, megabytesPerSecond(bytes, two));
    console.log(
      `    hashTree takes ${(ours.medianMs / one.medianMs).toFixed(2)}x the time of sha256sum, ` +
        `${(ours.medianMs / two.medianMs).toFixed(2)}x that of 2 sha256sum processes` +
        (shape.budget
          ? `; budget: at least the MB/s of one sha256sum: ${ours.medianMs <= one.medianMs ? "met" : "NOT met"}`
          : ""),
    );
    rmSync(tree, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
