import type { BackedUpAction } from "cosmic-allocation/sync";
import { version } from "../../package.json";
import type { AbortSignalLike } from "./abort-signal-like";
import type { SkippedEntry } from "./hash-tree";
import { type SyncProgress, type SyncSummary, syncDirectories } from "./sync-directories";

/**
 * Where the CLI writes, and whether it talks to a terminal.
 *
 * @example
 * ```ts
 * import type { SyncAction } from "cosmic-allocation/sync";
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

/** The exit codes of `cosmic-sync`: done, failed (or done with entries it could not read), and wrong usage. */
const EXIT = { done: 0, failed: 1, usage: 2 } as const;

const USAGE = `usage: cosmic-sync [options] <source> <dest>

Makes <dest> a mirror of the regular files of <source>, with their modes and
modification times: copies what it lacks, moves and duplicates what it has
elsewhere, replaces stale files atomically, deletes the rest. Symbolic links
and special files are left alone on both sides and never followed.
Interrupted, it can be run again to finish. Paths are relative to the
current folder.

  -n, --dry-run        print the plan, change nothing; refuses what the real
                       run would refuse, with the same exit code
      --json           print one JSON object: the plan, the counts, what was
                       skipped (the same shape with and without --dry-run)
      --checksum       read and hash every file; by default a file whose size,
                       times and inode are unchanged since the last run keeps
                       its cached hash (cache: $XDG_CACHE_HOME/cosmic-sync or
                       ~/.cache/cosmic-sync)
      --max-delete N   refuse (changing nothing) a plan deleting more than N
                       files, or N% of the destination's files; replaced files
                       do not count
      --force          allow emptying a non-empty <dest> from an empty <source>
      --backup-dir DIR move what would be deleted or replaced into DIR (outside
                       both folders), at the same relative path
      --exclude PATTERN  leave out matching paths: not copied from <source>,
                       never deleted or replaced in <dest> (repeatable)
      --include PATTERN  keep matching paths even if an --exclude matches;
                       checked first (repeatable). Patterns as rsync's: * and ?
                       within a name, ** across folders, a leading / anchors at
                       the top, a trailing / matches folders only
      --case-insensitive  <dest> folds case (macOS, Windows): plan case-only
                       renames safely
      --nfc            NFC and NFD spellings of a name are the same file (macOS HFS+)
  -V, --version        print the version
  -h, --help           print this help

exit codes: 0 done; 1 failed, refused, or done but some entries could not be
read (they are listed); 2 wrong usage
`;

interface Arguments {
  readonly source: string;
  readonly dest: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly caseInsensitive: boolean;
  readonly nfc: boolean;
  readonly checksum: boolean;
  readonly force: boolean;
  readonly maxDelete: number | `${number}%` | undefined;
  readonly backupDir: string | undefined;
  readonly exclude: readonly string[];
  readonly include: readonly string[];
}

const FLAGS = {
  "--dry-run": "dryRun",
  "-n": "dryRun",
  "--json": "json",
  "--case-insensitive": "caseInsensitive",
  "--nfc": "nfc",
  "--checksum": "checksum",
  "--force": "force",
} as const;

const VALUED = new Set(["--max-delete", "--backup-dir", "--exclude", "--include"]);

function parse(argv: readonly string[]): Arguments | "help" | "version" | string {
  const flags = {
    dryRun: false,
    json: false,
    caseInsensitive: false,
    nfc: false,
    checksum: false,
    force: false,
  };
  let maxDelete: Arguments["maxDelete"];
  let backupDir: string | undefined;
  const exclude: string[] = [];
  const include: string[] = [];
  const positional: string[] = [];
  let options = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (options && arg === "--") options = false;
    else if (options && (arg === "-h" || arg === "--help")) return "help";
    else if (options && (arg === "-V" || arg === "--version")) return "version";
    else if (options && arg.startsWith("-") && arg !== "-") {
      const equals = arg.indexOf("=");
      const name = equals === -1 ? arg : arg.slice(0, equals);
      if (VALUED.has(name)) {
        const value = equals === -1 ? argv[++i] : arg.slice(equals + 1);
        if (value === undefined) return `${name} needs a value`;
        if (name === "--exclude" || name === "--include") {
          (name === "--exclude" ? exclude : include).push(value);
          continue;
        }
        if (name === "--backup-dir") {
          if (value === "") return "--backup-dir needs a folder";
          backupDir = value;
          continue;
        }
        const parsed = parseMaxDelete(value);
        if (parsed === undefined)
          return `${name} takes a whole number or a percentage, not ${printable(value)}`;
        maxDelete = parsed;
        continue;
      }
      const flag = FLAGS[arg as keyof typeof FLAGS];
      if (flag === undefined) return `unknown option ${printable(arg)}`;
      flags[flag] = true;
    } else positional.push(arg);
  }
  if (positional.length !== 2) {
    return positional.length < 2
      ? "expected a source and a destination folder"
      : `unexpected argument ${printable(positional[2] as string)}`;
  }
  const [source, dest] = positional as [string, string];
  if (source === "" || dest === "")
    return "an empty path is not a folder (use . for the current one)";
  return { source, dest, maxDelete, backupDir, exclude, include, ...flags };
}

function parseMaxDelete(value: string): Arguments["maxDelete"] {
  if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  if (/^\d+(?:\.\d+)?%$/.test(value) && Number.parseFloat(value) <= 100)
    return value as `${number}%`;
  return undefined;
}

/**
 * Runs `cosmic-sync` with the given arguments and returns its exit code,
 * writing only to `io`: the executable is a thin wrapper around it, and tests
 * run it in-process.
 *
 * `cosmic-sync [options] <source> <dest>` prints a progress line on a
 * terminal, then a summary; `--dry-run` prints the plan instead of applying
 * it; `--json` prints one object of the same shape either way. See
 * `cosmic-sync --help` for every option. Exit codes: 0 done, 1 failed (the
 * message says why) or done with entries it could not read, 2 usage.
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
  if (parsed === "version") {
    io.stdout.write(`cosmic-sync ${version}\n`);
    return EXIT.done;
  }
  if (typeof parsed === "string") {
    io.stderr.write(`cosmic-sync: ${parsed}\n${USAGE}`);
    return EXIT.usage;
  }
  const progress = io.isTTY && !parsed.json ? new ProgressLine(io.stderr) : undefined;
  try {
    const summary = await syncDirectories(parsed.source, parsed.dest, {
      dryRun: parsed.dryRun,
      caseInsensitive: parsed.caseInsensitive,
      unicode: parsed.nfc ? "nfc" : "exact",
      checksum: parsed.checksum,
      force: parsed.force,
      maxDelete: parsed.maxDelete,
      backupDir: parsed.backupDir,
      exclude: parsed.exclude,
      include: parsed.include,
      signal: io.signal,
      onProgress: progress?.update,
    });
    progress?.clear();
    warnSkipped(summary, io);
    io.stdout.write(
      parsed.json ? `${JSON.stringify(toJson(summary), null, 2)}\n` : report(summary),
    );
    return summary.complete ? EXIT.done : EXIT.failed;
  } catch (error) {
    progress?.clear();
    io.stderr.write(`cosmic-sync: ${printable(describe(error))}\n`);
    if (parsed.json) {
      const code = (error as { readonly code?: unknown } | null)?.code;
      const body = {
        error: { code: typeof code === "string" ? code : null, message: describe(error) },
      };
      try {
        io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      } catch {
        // stdout itself failed: the message on stderr is all we can give.
      }
    }
    return EXIT.failed;
  }
}

/**
 * The one JSON shape of `--json`, with and without `--dry-run` (documented in docs/sync.md).
 */
function toJson(summary: SyncSummary): object {
  const { dryRun, complete, copied, duplicated, moved, deleted, updated } = summary;
  const { bytesTransferred, bytesWritten, backedUp, actions, skipped } = summary;
  return {
    dryRun,
    complete,
    copied,
    duplicated,
    moved,
    deleted,
    updated,
    backedUp,
    bytesTransferred,
    bytesWritten,
    actions,
    skipped,
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === "AbortError"
    ? "stopped before the end; run again to finish"
    : error.message;
}

function report(summary: SyncSummary): string {
  const { copied, duplicated, moved, deleted, updated, backedUp, bytesTransferred } = summary;
  const bytes = formatBytes(bytesTransferred);
  if (!summary.dryRun) {
    const saved = backedUp === 0 ? "" : `, ${backedUp} backed up`;
    return `Done: ${copied} copied, ${duplicated} duplicated, ${moved} moved, ${deleted} deleted, ${updated} updated${saved}; ${bytes} transferred.\n`;
  }
  const plan = summary.actions.map((action) => `${describeAction(action)}\n`).join("");
  const saved = backedUp === 0 ? "" : `, ${backedUp} to back up`;
  return `${plan}Plan: ${copied} to copy, ${duplicated} to duplicate, ${moved} to move, ${deleted} to delete, ${updated} to update${saved}; ${bytes} to transfer. Nothing changed.\n`;
}

function describeAction(action: BackedUpAction): string {
  if (action.type === "delete") return `delete     ${printable(action.path)}`;
  if (action.type === "backup") return `back up    ${printable(action.path)} (${action.mode})`;
  const over = action.replaces === null ? "" : " (replacing)";
  if (action.type === "copy") return `copy       ${printable(action.to)}${over}`;
  return `${action.type.padEnd(10)} ${printable(action.from)} -> ${printable(action.to)}${over}`;
}

function warnSkipped(summary: SyncSummary, io: CliIo): void {
  for (const side of ["source", "dest"] as const) {
    const unreadable = summary.skipped[side].filter((entry) => entry.kind === "unreadable");
    const alone = summary.skipped[side].filter((entry) => entry.kind !== "unreadable");
    if (alone.length > 0) {
      io.stderr.write(
        `cosmic-sync: left alone ${entries(alone)} of the ${side}, not synced: ${list(alone)}\n`,
      );
    }
    if (unreadable.length > 0) {
      io.stderr.write(
        `cosmic-sync: could not read ${entries(unreadable)} of the ${side}; left as they are, the rest synced: ${list(unreadable)}\n`,
      );
    }
  }
}

function entries(list: readonly SkippedEntry[]): string {
  return list.length === 1 ? "1 entry" : `${list.length} entries`;
}

function list(skipped: readonly SkippedEntry[]): string {
  const shown = skipped
    .slice(0, 3)
    .map((entry) => `${printable(entry.path)} (${entry.reason ?? entry.kind})`);
  return `${shown.join(", ")}${skipped.length > 3 ? ", ..." : ""}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to escape
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name made safe for a terminal: control characters (C0, DEL, C1) and the
 * invisible bidirectional overrides are written as `\xNN` or `\u{NNNN}`, so a
 * file name can neither move the cursor, set the terminal title, nor disguise
 * itself.
 *
 * @internal
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
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
