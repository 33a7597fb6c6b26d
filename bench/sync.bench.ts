/**
 * The sync planner on large trees: a destination of n files in nested folders
 * and a source where 30% of the files moved to other folders, 10% were edited
 * in place and 5% were deleted. Reports paths per second (source plus
 * destination paths). The budget: under 2 s for 1,000,000 paths,
 * measured both ways that can be read: a million paths in all (510,000 files,
 * 994,500 paths) and a million files in each tree (1,950,000 paths).
 *
 * Trees come in path order, as `hashTree` returns them; the "shuffled" runs
 * insert the same entries in random order, which costs the planner a sort.
 */
import { determineActions } from "cosmic-allocation/sync";
import { count, report, time } from "./measure";

interface Trees {
  readonly source: Map<string, string>;
  readonly dest: Map<string, string>;
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/** A 64-character hex string, as SHA-256 gives, distinct per (i, version). */
function contentHash(i: number, version: number): string {
  const word = (Math.imul(i, 2654435761) ^ Math.imul(version + 1, 40503)) >>> 0;
  return `${word.toString(16).padStart(8, "0")}${i.toString(16).padStart(8, "0")}`.repeat(4);
}

/** What happens to file i: 5% deleted, 30% moved, 10% edited, the rest unchanged. */
function fate(i: number): "deleted" | "moved" | "edited" | "same" {
  const roll = (i * 7919) % 100;
  return roll < 5 ? "deleted" : roll < 35 ? "moved" : roll < 45 ? "edited" : "same";
}

function makeTrees(files: number): Trees {
  const folders = files / 10_000;
  const paths: string[] = [];
  for (let project = 0; project < folders; project++) {
    for (let module = 0; module < 40; module++) {
      for (let file = 0; file < 250; file++) {
        paths.push(`project-${pad(project, 3)}/module-${pad(module, 2)}/file-${pad(file, 3)}.dat`);
      }
    }
  }
  const dest = new Map(paths.map((path, i) => [path, contentHash(i, 0)]));
  const source = new Map<string, string>();
  // Moved files land under "moved/", which sorts first: both trees stay in path order.
  paths.forEach((path, i) => {
    if (fate(i) === "moved") source.set(`moved/${path}`, contentHash(i, 0));
  });
  paths.forEach((path, i) => {
    const what = fate(i);
    if (what === "same") source.set(path, contentHash(i, 0));
    else if (what === "edited") source.set(path, contentHash(i, 1));
  });
  return { source, dest };
}

function shuffled<K, V>(map: Map<K, V>, seed: number): Map<K, V> {
  const entries = [...map];
  let state = seed;
  for (let i = entries.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [entries[i], entries[j]] = [entries[j] as [K, V], entries[i] as [K, V]];
  }
  return new Map(entries);
}

function shape(actions: ReturnType<typeof determineActions>): string {
  const kinds = new Map<string, number>();
  for (const action of actions) kinds.set(action.type, (kinds.get(action.type) ?? 0) + 1);
  return [...kinds].map(([kind, n]) => `${kind} ${count(n)}`).join(", ");
}

for (const [files, runs] of [
  [100_000, 7],
  [510_000, 5],
  [1_000_000, 5],
] as const) {
  const inOrder = makeTrees(files);
  const paths = inOrder.source.size + inOrder.dest.size;
  const variants = [
    ["in path order", inOrder],
    ["shuffled", { source: shuffled(inOrder.source, 1), dest: shuffled(inOrder.dest, 2) }],
  ] as const;
  for (const [label, trees] of variants) {
    const timing = time(
      () => trees,
      (input) => determineActions(input.source, input.dest),
      { runs, warmup: 1 },
    );
    report(
      `determineActions ${count(files)} files (${count(paths)} paths), ${label}`,
      timing,
      `${count(paths / (timing.medianMs / 1000))} paths/s`,
    );
  }
  console.log(`    plan: ${shape(determineActions(inOrder.source, inOrder.dest))}`);
}
