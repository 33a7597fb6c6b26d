/** Helpers shared by the benchmark suites: run a measurement several times and report medians. */

/** The result of timing one piece of work several times. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/**
 * Times `work` `runs` times (after `warmup` untimed runs) and returns the median.
 * `prepare` runs before each timed run and is not timed: build fresh inputs there.
 */
export function time<T>(
  prepare: () => T,
  work: (input: T) => unknown,
  { runs = 7, warmup = 1 }: { readonly runs?: number; readonly warmup?: number } = {},
): Timing {
  for (let i = 0; i < warmup; i++) work(prepare());
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = prepare();
    const start = performance.now();
    work(input);
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** The asynchronous twin of {@link time}. */
export async function timeAsync<T>(
  prepare: () => T | Promise<T>,
  work: (input: T) => Promise<unknown>,
  { runs = 7, warmup = 1 }: { readonly runs?: number; readonly warmup?: number } = {},
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await work(await prepare());
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = await prepare();
    const start = performance.now();
    await work(input);
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/**
 * Times several contenders `runs` times each, interleaved (their order
 * alternating from run to run, so that a machine getting busier or quieter
 * weighs on all alike), with an untimed `prepare` before each run.
 */
export async function interleave(
  runs: number,
  contenders: readonly {
    readonly prepare?: () => unknown;
    readonly work: () => unknown;
  }[],
): Promise<Timing[]> {
  const samples: number[][] = contenders.map(() => []);
  for (let run = 0; run < runs; run++) {
    const order = contenders.map((_, i) => i);
    if (run % 2 === 1) order.reverse();
    for (const i of order) {
      const contender = contenders[i] as (typeof contenders)[number];
      await contender.prepare?.();
      const start = performance.now();
      await contender.work();
      (samples[i] as number[]).push(performance.now() - start);
    }
  }
  return samples.map(summarize);
}

function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return {
    medianMs: median,
    minMs: sorted[0] ?? 0,
    maxMs: sorted[sorted.length - 1] ?? 0,
    runs: sorted.length,
  };
}

/** Formats a number with thousands separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Prints one result line: a label, the median, and an optional derived figure. */
export function report(label: string, timing: Timing, extra = ""): void {
  const ms = timing.medianMs.toFixed(timing.medianMs < 10 ? 3 : 1);
  console.log(
    `  ${label.padEnd(58)} median ${ms.padStart(9)} ms  (min ${timing.minMs.toFixed(1)}, max ${timing.maxMs.toFixed(1)}, ${timing.runs} runs)${extra ? `  ${extra}` : ""}`,
  );
}
