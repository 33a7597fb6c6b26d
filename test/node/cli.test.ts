import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "cosmic-allocation/node";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, removeFolders, writeFiles } from "./folders";

afterEach(removeFolders);

async function run(argv: string[], options: { isTTY?: boolean; signal?: AbortSignal } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: options.isTTY ?? false,
    signal: options.signal,
  });
  return { code, stdout, stderr };
}

function folders() {
  const source = makeFolder();
  const dest = makeFolder();
  writeFiles(source, { "docs/a.md": "alpha", "b.txt": "bravo" });
  writeFiles(dest, { "a.md": "alpha", "old.txt": "gone" });
  return { source, dest };
}

describe("cosmic-sync", () => {
  it("syncs and prints a summary, exit code 0", async () => {
    const { source, dest } = folders();
    const { code, stdout, stderr } = await run([source, dest]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      "Done: 1 copied, 0 duplicated, 1 moved, 1 deleted, 0 updated; 5 B transferred.\n",
    );
    expect(stderr).toBe("");
    expect(readFiles(dest)).toEqual(readFiles(source));
  });

  it("with --dry-run prints the plan and changes nothing", async () => {
    const { source, dest } = folders();
    const { code, stdout } = await run(["--dry-run", source, dest]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "copy       b.txt",
        "move       a.md -> docs/a.md",
        "delete     old.txt",
        "Plan: 1 to copy, 0 to duplicate, 1 to move, 1 to delete, 0 to update; 5 B to transfer. Nothing changed.",
        "",
      ].join("\n"),
    );
    expect(readFiles(dest)).toEqual({ "a.md": "alpha", "old.txt": "gone" });
  });

  it("with --json prints one shape, with and without --dry-run: counts, the plan, what was skipped", async () => {
    const { source, dest } = folders();
    const dry = JSON.parse((await run([source, dest, "--dry-run", "--json"])).stdout);
    const real = JSON.parse((await run([source, dest, "--json"])).stdout);
    const counts = {
      complete: true,
      copied: 1,
      duplicated: 0,
      moved: 1,
      deleted: 1,
      updated: 0,
      bytesTransferred: 5,
      bytesWritten: 5,
      skipped: { source: [], dest: [] },
    };
    expect(dry).toMatchObject({ dryRun: true, ...counts });
    expect(real).toMatchObject({ dryRun: false, ...counts });
    expect(Object.keys(dry)).toEqual(Object.keys(real));
    expect(real.actions).toEqual(dry.actions);
    expect(real.actions.map((action: { type: string }) => action.type)).toEqual([
      "copy",
      "move",
      "delete",
    ]);
  });

  it("with --json reports a failure as an error object, exit code 1", async () => {
    const source = makeFolder();
    const { code, stdout } = await run([join(source, "missing"), makeFolder(), "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error.code).toBe("VALIDATION_ERROR");
  });

  it("draws a progress line on a terminal and clears it before the summary", async () => {
    const { source, dest } = folders();
    const { stderr, stdout } = await run([source, dest], { isTTY: true });
    expect(stderr).toContain("\r\x1b[2Kapplying: 3/3 actions, 5 B copied");
    expect(stderr.endsWith("\r\x1b[2K")).toBe(true);
    expect(stdout).toMatch(/^Done: /);
  });

  it("passes the naming options to the planner", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "caf\u00e9": "c" });
    writeFiles(dest, { "cafe\u0301": "c" });
    expect((await run([source, dest, "--nfc", "--case-insensitive", "--dry-run"])).stdout).toMatch(
      /^Plan: 0 to copy, 0 to duplicate, 0 to move, 0 to delete, 0 to update/,
    );
  });

  it("warns about entries it leaves alone", async () => {
    const { source, dest } = folders();
    writeFiles(source, { "x\\y": "odd", "p\\q": "odd" });
    for (const name of ["1", "2", "3", "4"]) writeFiles(dest, { [`${name}\\z`]: "odd" });
    const { code, stderr } = await run([source, dest]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      "left alone 4 entries of the dest, not synced: 1\\z (unsafe-name), 2\\z (unsafe-name), 3\\z (unsafe-name), ...\n",
    );
    expect(stderr).toContain(
      "cosmic-sync: left alone 2 entries of the source, not synced: p\\q (unsafe-name), x\\y (unsafe-name)\n",
    );
  });

  it("fails with a message and exit code 1", async () => {
    const source = makeFolder();
    const { code, stderr } = await run([join(source, "missing"), makeFolder()]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cosmic-sync: Invalid source: expected an existing folder/);
  });

  it("formats sizes in binary units", async () => {
    const source = makeFolder();
    writeFiles(source, { big: "x".repeat(3 * 1024 * 1024 + 200_000) });
    const { stdout } = await run([source, makeFolder(), "--dry-run"]);
    expect(stdout).toContain("; 3.2 MiB to transfer.");
  });

  it("reports a failure to write its output, exit code 1", async () => {
    const { source, dest } = folders();
    let stderr = "";
    const code = await runCli([source, dest], {
      stdout: {
        write: () => {
          throw "stdout is closed";
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      isTTY: false,
    });
    expect(code).toBe(1);
    expect(stderr).toBe("cosmic-sync: stdout is closed\n");
  });

  it("says how to finish when stopped, exit code 1", async () => {
    const { source, dest } = folders();
    const { code, stderr } = await run([source, dest], { signal: AbortSignal.abort() });
    expect(code).toBe(1);
    expect(stderr).toBe("cosmic-sync: stopped before the end; run again to finish\n");
  });

  it.each([
    [[], "expected a source and a destination folder"],
    [["only-one"], "expected a source and a destination folder"],
    [["a", "b", "c"], "unexpected argument c"],
    [["a", "b", "--forse"], "unknown option --forse"],
    [["a", "b", "--max-delete"], "--max-delete needs a value"],
    [
      ["a", "b", "--max-delete", "ten"],
      "--max-delete takes a whole number or a percentage, not ten",
    ],
    [["", "b"], "an empty path is not a folder \\(use . for the current one\\)"],
    [["a", ""], "an empty path is not a folder \\(use . for the current one\\)"],
  ])("rejects %j with a usage message, exit code 2", async (argv, message) => {
    const { code, stderr, stdout } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(`^cosmic-sync: ${message}\\nusage: cosmic-sync \\[options\\] <source> <dest>`),
    );
    expect(stdout).toBe("");
  });

  it("prints its help with --help, exit code 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: cosmic-sync/);
    expect(stdout).toContain("exit codes: 0 done; 1 failed, refused");
  });

  it("takes paths that look like options after --", async () => {
    const parent = makeFolder();
    writeFiles(parent, { "-src/a": "1" });
    const { code } = await run(["--", join(parent, "-src"), join(parent, "-dest")]);
    expect(code).toBe(0);
    expect(readFiles(join(parent, "-dest"))).toEqual({ a: "1" });
  });

  it("escapes control characters and invisible overrides in names, so a name cannot drive the terminal", async () => {
    const source = makeFolder();
    const evil = "title\x1b]0;pwned\x07\u202Etxt.exe";
    writeFiles(source, { [evil]: "x" });
    const { stdout } = await run([source, makeFolder(), "--dry-run"]);
    expect(stdout).toContain("copy       title\\x1b]0;pwned\\x07\\u{202e}txt.exe\n");
    for (const raw of ["\x1b", "\x07", "\u202e"]) expect(stdout).not.toContain(raw);
  });

  it("prints its version with --version", async () => {
    const { code, stdout } = await run(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cosmic-sync \d+\.\d+\.\d+/);
  });

  it("with --max-delete refuses a plan over the limit, changing nothing; replacements do not count", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { keep: "k", edited: "v2" });
    writeFiles(dest, { keep: "k", edited: "v1", a: "1", b: "2", c: "3" });
    const over = await run([source, dest, "--max-delete", "2"]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(
      "would delete 3 files, more than the limit of 2; nothing changed",
    );
    expect(readFiles(dest)).toEqual({ keep: "k", edited: "v1", a: "1", b: "2", c: "3" });
    const percent = await run([source, dest, "--max-delete=50%", "--dry-run"]);
    expect(percent.code).toBe(1);
    expect(percent.stderr).toContain("more than the limit of 2");
    expect((await run([source, dest, "--max-delete", "3"])).code).toBe(0);
    expect(readFiles(dest)).toEqual({ keep: "k", edited: "v2" });
  });

  it("refuses to empty a destination from an empty source (an unmounted disk) unless forced", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(dest, { a: "1", "b/c": "2" });
    const refused = await run([source, dest]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the source is empty and the sync would delete all 2 files");
    expect(readFiles(dest)).toEqual({ a: "1", "b/c": "2" });
    expect((await run([source, dest, "--force"])).code).toBe(0);
    expect(readFiles(dest)).toEqual({});
  });

  it("refuses a destination that is a file with a typed message, not a raw EEXIST", async () => {
    const source = makeFolder();
    const parent = makeFolder();
    writeFiles(source, { a: "1" });
    writeFiles(parent, { file: "f" });
    for (const dest of [join(parent, "file"), join(parent, "file", "below")]) {
      const { code, stderr } = await run([source, dest]);
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /^cosmic-sync: Invalid dest: expected a folder, or a path where one can be made/,
      );
    }
  });

  it("with --dry-run refuses what the real run would refuse, with the same exit code", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const outside = makeFolder();
    writeFiles(source, { "docs/a": "x" });
    symlinkSync(outside, join(dest, "docs"));
    const dry = await run([source, dest, "--dry-run"]);
    const real = await run([source, dest]);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toBe(real.stderr);
    expect(real.stderr).toContain('"docs" is a symbolic link');
    expect(readFiles(outside)).toEqual({});
  });

  it("with --exclude and --include leaves matching paths out on both sides; excluded destination files stay", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "a.txt": "a", "x.log": "log", "keep.log": "kept", "build/out": "o" });
    writeFiles(dest, { "old.log": "theirs", "stale.txt": "s" });
    const argv = ["--exclude", "*.log", "--exclude=/build/", "--include", "keep.log"];
    const { code } = await run([...argv, source, dest]);
    expect(code).toBe(0);
    expect(readFiles(dest)).toEqual({ "a.txt": "a", "keep.log": "kept", "old.log": "theirs" });
  });

  it("with --backup-dir moves what it would delete or replace into the backup folder, at the same path", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    const backup = join(makeFolder(), "backups", "today");
    writeFiles(source, { "notes/today.md": "v2", same: "s" });
    writeFiles(dest, { "notes/today.md": "v1", same: "s", "old/gone.txt": "bye" });
    const { code, stdout } = await run([source, dest, "--backup-dir", backup]);
    expect(code).toBe(0);
    expect(stdout).toContain(", 2 backed up;");
    expect(readFiles(dest)).toEqual({ "notes/today.md": "v2", same: "s" });
    expect(readFiles(backup)).toEqual({ "notes/today.md": "v1", "old/gone.txt": "bye" });
  });

  it("refuses a backup folder inside either tree", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(dest, { a: "1" });
    for (const backup of [join(dest, ".backup"), join(source, "backup")]) {
      const { code, stderr } = await run([source, dest, "--force", "--backup-dir", backup]);
      expect(code).toBe(1);
      expect(stderr).toContain(
        "Invalid backupDir: expected a folder outside the source and the destination",
      );
    }
    expect(readFiles(dest)).toEqual({ a: "1" });
  });

  it("with --dry-run --backup-dir lists the backups it would make", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { keep: "k" });
    writeFiles(dest, { keep: "k", old: "o" });
    const { code, stdout } = await run([
      source,
      dest,
      "--dry-run",
      "--backup-dir",
      join(makeFolder(), "b"),
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("back up    old (move)\n");
    expect(stdout).toContain(", 1 to back up;");
    expect((await run([source, dest, "--backup-dir="])).stderr).toMatch(
      /^cosmic-sync: --backup-dir needs a folder/,
    );
  });
});
