import type { SyncAction } from "cosmic-allocation";
import type { AbortSignalLike } from "./abort-signal-like";
import { type SyncProgress, type SyncSummary, syncDirectories } from "./sync-directories";

/**
 * Where the CLI writes, and whether it talks to a terminal.
 *
 * @example
 * ```ts
 * import type { SyncAction } from "cosmic-allocation";
 * import { runCli, type CliIo } from "cosmic-allocation/node";
 *
 * let printed = "";
 * const io: CliIo = { stdout: { write: (text: string) => (printed += text) }, stderr: process.stderr, isTTY: false };
 * const code = await runCli(["./photos", "/backup/photos", "--dry-run", "--json"], io);
 * const plan: SyncAction[] = code === 0 ? JSON.parse(printed) : [];
 * ```
 */
export interface CliIo {
  /** Results: the summary, the plan, or the JSON. */
  readonly stdout: {
    /** Writes a piece of text, as `process.stdout.write` does. */
    write(text: string): unknown;
  };
  /** Progress (on a terminal), warnings and errors. */
  readonly stderr: {
    /** Writes a piece of text, as `process.stderr.write` does. */
    write(text: string): unknown;
  };
  /** True when stderr is a terminal: a progress line is drawn there. */
  readonly isTTY: boolean;
  /** Stops the sync (the executable aborts it on Ctrl-C). */
  readonly signal?: AbortSignalLike | undefined;
}

/** The exit codes of `cosmic-sync`: done, failed, and wrong usage. */
const EXIT = { done: 0, failed: 1, usage: 2 } as const;

const USAGE = `usage: cosmic-sync <source> <dest> [--dry-run] [--json] [--case-insensitive] [--nfc]

Makes <dest> a mirror of the regular files of <source>: copies what it lacks,
moves and duplicates what it has elsewhere, deletes the rest. Interrupted, it
can be run again to finish.

  --dry-run            print the plan, change nothing
  --json               print the plan (with --dry-run) or the summary as JSON
  --case-insensitive   <dest> folds case (macOS, Windows): plan case-only renames safely
  --nfc                NFC and NFD spellings of a name are the same file (macOS HFS+)
  -h, --help           print this help

exit codes: 0 done, 1 failed, 2 usage
`;

interface Arguments {
  readonly source: string;
  readonly dest: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly caseInsensitive: boolean;
  readonly nfc: boolean;
}

const FLAGS = {
  "--dry-run": "dryRun",
  "--json": "json",
  "--case-insensitive": "caseInsensitive",
  "--nfc": "nfc",
} as const;

function parse(argv: readonly string[]): Arguments | "help" | string {
  const flags = { dryRun: false, json: false, caseInsensitive: false, nfc: false };
  const positional: string[] = [];
  let options = true;
  for (const arg of argv) {
    if (options && arg === "--") options = false;
    else if (options && (arg === "-h" || arg === "--help")) return "help";
    else if (options && arg.startsWith("-") && arg !== "-") {
      const flag = FLAGS[arg as keyof typeof FLAGS];
      if (flag === undefined) return `unknown option ${arg}`;
      flags[flag] = true;
    } else positional.push(arg);
  }
  if (positional.length !== 2) {
    return positional.length < 2
      ? "expected a source and a destination folder"
      : `unexpected argument ${positional[2]}`;
  }
  return { source: positional[0] as string, dest: positional[1] as string, ...flags };
}

/**
 * Runs `cosmic-sync` with the given arguments and returns its exit code,
 * writing only to `io`: the executable is a thin wrapper around it, and tests
 * run it in-process.
 *
 * `cosmic-sync <source> <dest> [--dry-run] [--json] [--case-insensitive] [--nfc]`
 * prints a progress line on a terminal, then a summary; `--dry-run` prints the
 * plan instead of applying it; `--json` prints the plan (dry run) or the
 * summary as JSON. Exit codes: 0 done, 1 failed (the message says why), 2 usage.
 *
 * @param argv - the arguments after the program name
 * @param io - where to write, whether that is a terminal, and a signal to stop
 * @returns the exit code
 *
 * @example
 * ```ts
 * import { runCli } from "cosmic-allocation/node";
 *
 * const code = await runCli(["./photos", "/backup/photos", "--dry-run"], {
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 *   isTTY: false,
 * });
 * console.log(code); // 0
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(argv);
  if (parsed === "help") {
    io.stdout.write(USAGE);
    return EXIT.done;
  }
  if (typeof parsed === "string") {
    io.stderr.write(`cosmic-sync: ${parsed}\n${USAGE}`);
    return EXIT.usage;
  }
  const progress = io.isTTY ? new ProgressLine(io.stderr) : undefined;
  try {
    const summary = await syncDirectories(parsed.source, parsed.dest, {
      dryRun: parsed.dryRun,
      caseInsensitive: parsed.caseInsensitive,
      unicode: parsed.nfc ? "nfc" : "exact",
      signal: io.signal,
      onProgress: progress?.update,
    });
    progress?.clear();
    warnSkipped(summary, io);
    io.stdout.write(report(summary, parsed.json));
    return EXIT.done;
  } catch (error) {
    progress?.clear();
    io.stderr.write(`cosmic-sync: ${describe(error)}\n`);
    return EXIT.failed;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === "AbortError"
    ? "stopped before the end; run again to finish"
    : error.message;
}

function report(summary: SyncSummary, json: boolean): string {
  if (json) {
    const { actions, ...counts } = summary;
    return `${JSON.stringify(summary.dryRun ? actions : counts, null, 2)}\n`;
  }
  const { copied, duplicated, moved, deleted, bytesTransferred } = summary;
  const bytes = formatBytes(bytesTransferred);
  if (!summary.dryRun) {
    return `Done: ${copied} copied, ${duplicated} duplicated, ${moved} moved, ${deleted} deleted; ${bytes} transferred.\n`;
  }
  const plan = summary.actions.map((action) => `${describeAction(action)}\n`).join("");
  return `${plan}Plan: ${copied} to copy, ${duplicated} to duplicate, ${moved} to move, ${deleted} to delete; ${bytes} to transfer. Nothing changed.\n`;
}

function describeAction(action: SyncAction): string {
  if (action.type === "delete") return `delete     ${action.path}`;
  if (action.type === "copy") return `copy       ${action.to}`;
  return `${action.type.padEnd(10)} ${action.from} -> ${action.to}`;
}

function warnSkipped(summary: SyncSummary, io: CliIo): void {
  for (const side of ["source", "dest"] as const) {
    const skipped = summary.skipped[side];
    if (skipped.length === 0) continue;
    const count = skipped.length === 1 ? "1 entry" : `${skipped.length} entries`;
    const shown = skipped.slice(0, 3).map((entry) => `${entry.path} (${entry.kind})`);
    const more = skipped.length > 3 ? ", ..." : "";
    io.stderr.write(
      `cosmic-sync: left alone ${count} of the ${side}, not synced: ${shown.join(", ")}${more}\n`,
    );
  }
}

/** Formats a byte count with binary units. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** One line on a terminal, redrawn in place at most every 100 ms. */
class ProgressLine {
  private last = 0;
  private drawn = false;

  constructor(private readonly stream: { write(text: string): unknown }) {}

  readonly update = (progress: SyncProgress): void => {
    const now = Date.now();
    const final = progress.phase === "applying" && progress.actionsDone === progress.actionsTotal;
    if (now - this.last < 100 && !final) return;
    this.last = now;
    const text =
      progress.phase === "hashing"
        ? `hashing: ${progress.filesHashed} files, ${formatBytes(progress.bytesHashed)}`
        : `applying: ${progress.actionsDone}/${progress.actionsTotal} actions, ${formatBytes(progress.bytesTransferred)} copied`;
    this.stream.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  };

  clear(): void {
    if (this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }
}
