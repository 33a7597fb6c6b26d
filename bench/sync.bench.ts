/**
 * The sync planner on large trees: a destination of n files in nested folders
 * and a source where 30% of the files moved to other folders, 10% were edited
 * in place and 5% were deleted. Reports paths per second (source plus
 * destination paths).
 *
 * The issue's budgets, printed beside each figure: `determineActions` on
 * 1,000,000 paths (source plus destination: 520,000 files, 1,014,000 paths) in
 * shuffled insertion order under 3 s, and its time per path there within 1.3x
 * of its time per path at about a tenth of the size (50,000 files, 97,500
 * paths). Per-path times compare the two sizes in the same run, so that the
 * machine's load weighs on both alike.
 *
 * Trees come in path order, as `hashTree` returns them; the "shuffled" runs
 * insert the same entries in random order, which costs the planner a sort.
 * The sizes alternate run by run, so that a change in the machine's load
 * weighs on both alike.
 *
 * Each figure says how much of it went to garbage collections that landed
 * inside the plans, and the growth is given without them too: a plan of a
 * million paths returns 234,000 actions, which V8 copies when it collects
 * young objects during the plan, while a plan of 100,000 paths rarely meets a
 * collection; and a collection that an earlier plan's garbage calls for lands
 * in whichever plan runs then. The budgets are on the time with them. The
 * page faults of each plan are printed too: a collection that promotes a
 * large plan's actions writes 14.6 MB to pages the process has not touched,
 * and on a virtual machine the kernel's first mapping of a page can cost many
 * microseconds (17 to 23 here), so much of those collections' time is page
 * faults.
 */
import { loadavg } from "node:os";
import { type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";
import { determineActions } from "cosmic-allocation/sync";
import { count, report } from "./measure";

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

const SIZES = [50_000, 520_000] as const;
const RUNS = 5;
const BUDGET_MS = 3000;
const BUDGET_GROWTH = 1.3;

const inputs = SIZES.map((files) => {
  const inOrder = makeTrees(files);
  return {
    files,
    paths: inOrder.source.size + inOrder.dest.size,
    variants: [
      ["in path order", inOrder],
      ["shuffled", { source: shuffled(inOrder.source, 1), dest: shuffled(inOrder.dest, 2) }],
    ] as const,
  };
});

// Other work on the machine slows every figure; the ratios between sizes suffer least.
console.log(`  load average at start: ${(loadavg()[0] as number).toFixed(2)}`);
// Interleaved: each round plans every size and order once.
const samples = new Map<string, number[]>();
// Processor time too: a process that waits for a core shows it in wall time only.
const cpuSamples = new Map<string, number[]>();
// And the garbage collections that land inside each plan: at a million paths a plan returns
// 234,000 actions, which V8 copies when it collects young objects during the plan.
const collections: PerformanceEntry[] = [];
// And the pages of memory the kernel had to map for each plan (minor page faults): on a virtual
// machine a first touch of a page can cost tens of microseconds, and a collection that promotes a
// large plan's actions writes them to pages the process has not touched yet.
const faultSamples = new Map<string, number[]>();
const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
observer.observe({ entryTypes: ["gc"] });
const windows: { readonly key: string; readonly start: number; readonly end: number }[] = [];
for (let round = -1; round < RUNS; round++) {
  for (const { files, variants } of inputs) {
    for (const [label, trees] of variants) {
      const faultsBefore = process.resourceUsage().minorPageFault;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      determineActions(trees.source, trees.dest);
      const elapsed = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      const faults = process.resourceUsage().minorPageFault - faultsBefore;
      // Round -1 warms up.
      if (round < 0) continue;
      const key = `${files} ${label}`;
      const values = samples.get(key) ?? [];
      values.push(elapsed);
      samples.set(key, values);
      windows.push({ key, start, end: start + elapsed });
      cpuSamples.set(key, [...(cpuSamples.get(key) ?? []), (cpu.user + cpu.system) / 1000]);
      faultSamples.set(key, [...(faultSamples.get(key) ?? []), faults]);
    }
  }
}

// The observer is called back once the loop yields.
await new Promise((resolve) => setTimeout(resolve, 100));
observer.disconnect();
/** Per run: the time spent in collections, and the time of the plan without it. */
const collectionSamples = new Map<string, number[]>();
const netSamples = new Map<string, number[]>();
for (const { key, start, end } of windows) {
  const inside = collections
    .filter((entry) => entry.startTime >= start && entry.startTime < end)
    .reduce((total, entry) => total + entry.duration, 0);
  collectionSamples.set(key, [...(collectionSamples.get(key) ?? []), inside]);
  netSamples.set(key, [...(netSamples.get(key) ?? []), end - start - inside]);
}

const medianOf = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const perPath = new Map<string, number>();
const cpuPerPath = new Map<string, number>();
for (const { files, paths, variants } of inputs) {
  for (const [label] of variants) {
    const values = samples.get(`${files} ${label}`) as number[];
    const timing = {
      medianMs: medianOf(values),
      minMs: Math.min(...values),
      maxMs: Math.max(...values),
      runs: values.length,
    };
    perPath.set(`${files} ${label}`, timing.medianMs / paths);
    const cpuMs = medianOf(cpuSamples.get(`${files} ${label}`) as number[]);
    cpuPerPath.set(`${files} ${label}`, cpuMs / paths);
    const budget =
      files === SIZES[1] && label === "shuffled"
        ? `  budget under ${count(BUDGET_MS)} ms: ${timing.medianMs < BUDGET_MS ? "met" : "NOT MET"}`
        : "";
    report(
      `determineActions ${count(files)} files (${count(paths)} paths), ${label}`,
      timing,
      `${count(paths / (timing.medianMs / 1000))} paths/s, processor ${count(cpuMs)} ms, garbage collection ${count(medianOf(collectionSamples.get(`${files} ${label}`) as number[]))} ms, ${count(medianOf(faultSamples.get(`${files} ${label}`) as number[]))} page faults${budget}`,
    );
  }
  console.log(`    plan: ${shape(determineActions(variants[0][1].source, variants[0][1].dest))}`);
}
console.log(`  load average at end: ${(loadavg()[0] as number).toFixed(2)}`);
for (const label of ["in path order", "shuffled"]) {
  const growth =
    (perPath.get(`${SIZES[1]} ${label}`) as number) /
    (perPath.get(`${SIZES[0]} ${label}`) as number);
  const cpuGrowth =
    (cpuPerPath.get(`${SIZES[1]} ${label}`) as number) /
    (cpuPerPath.get(`${SIZES[0]} ${label}`) as number);
  const netPerPath = (files: number): number =>
    medianOf(netSamples.get(`${files} ${label}`) as number[]) /
    (inputs.find((input) => input.files === files)?.paths as number);
  const netGrowth = netPerPath(SIZES[1]) / netPerPath(SIZES[0]);
  console.log(
    `  time per path, ${count(SIZES[1])} files over ${count(SIZES[0])} files, ${label}: ${growth.toFixed(2)}x (processor time ${cpuGrowth.toFixed(2)}x, without garbage collection ${netGrowth.toFixed(2)}x)${
      label === "shuffled"
        ? `  budget within ${BUDGET_GROWTH}x: ${growth <= BUDGET_GROWTH ? "met" : "NOT MET"}`
        : ""
    }`,
  );
}
