import { existsSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "cosmic-allocation";
import { applyActions, hashTree, syncDirectories } from "cosmic-allocation/node";
import { createPathFilter, determineActions } from "cosmic-allocation/sync";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, removeFolders, writeFiles } from "./folders";

afterEach(removeFolders);

/** Options whose field cannot be read: a revoked Proxy, and a getter that throws. */
function unreadable(): unknown[] {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return [
    proxy,
    {
      get signal() {
        throw new Error("boom");
      },
      get dryRun() {
        throw new Error("boom");
      },
      get source() {
        throw new Error("boom");
      },
    },
  ];
}

/** Each bad option, the field the error must name, and what it was. */
const badSyncOptions: readonly [Record<string, unknown>, string][] = [
  [{ dryRun: "yes" }, "options.dryRun"],
  [{ force: 1 }, "options.force"],
  [{ checksum: "no" }, "options.checksum"],
  [{ onProgress: 3 }, "options.onProgress"],
  [{ signal: {} }, "options.signal"],
  [{ cache: 5 }, "options.cache"],
  [{ cache: "" }, "options.cache"],
  [{ cache: true }, "options.cache"],
  [{ caseInsensitive: "yes" }, "options.caseInsensitive"],
  [{ unicode: "nfd" }, "options.unicode"],
];

describe("the shell's functions refuse bad options with a ValidationError naming the field, before anything is read or written", () => {
  it.each(badSyncOptions)(
    "syncDirectories with %o: %s, and both folders as they were",
    async (options, field) => {
      const source = makeFolder();
      const parent = makeFolder();
      const dest = join(parent, "dest");
      writeFiles(source, { "a.txt": "1" });
      const error = await syncDirectories(source, dest, options).catch((e: unknown) => e);
      expect(ValidationError.is(error) && error.field).toBe(field);
      expect(existsSync(dest)).toBe(false);
      expect(readFiles(source)).toEqual({ "a.txt": "1" });
    },
  );

  it("syncDirectories with options that are not an object, or cannot be read", async () => {
    const source = makeFolder();
    const dest = join(makeFolder(), "dest");
    writeFiles(source, { "a.txt": "1" });
    for (const options of [null, 7, "dry", ...unreadable()]) {
      const error = await syncDirectories(source, dest, options as never).catch((e: unknown) => e);
      expect(ValidationError.is(error) && error.field).toBe("options");
    }
    expect(existsSync(dest)).toBe(false);
  });

  it("hashTree with a root that is empty (the current folder) or not a string", async () => {
    for (const root of ["", 5, undefined, null]) {
      const error = await hashTree(root as never).catch((e: unknown) => e);
      expect(ValidationError.is(error) && error.field).toBe("root");
    }
  });

  it.each([
    [{ onFile: "log" }, "options.onFile"],
    [{ signal: { aborted: false } }, "options.signal"],
    [{ cache: 5 }, "options.cache"],
    [{ checksum: 1 }, "options.checksum"],
    [{ filter: ["*.tmp"] }, "options.filter"],
  ])("hashTree with %o: %s", async (options, field) => {
    const root = makeFolder();
    writeFiles(root, { "a.txt": "1" });
    const error = await hashTree(root, options as never).catch((e: unknown) => e);
    expect(ValidationError.is(error) && error.field).toBe(field);
  });

  it("hashTree with options that are not an object, or cannot be read", async () => {
    const root = makeFolder();
    for (const options of [null, 7, ...unreadable()]) {
      const error = await hashTree(root, options as never).catch((e: unknown) => e);
      expect(ValidationError.is(error) && error.field).toBe("options");
    }
  });

  it("applyActions with a plan that is not an array, or options missing a folder or of the wrong type; nothing is written", async () => {
    const source = makeFolder();
    const dest = makeFolder();
    writeFiles(source, { "a.txt": "1" });
    const plan = determineActions((await hashTree(source)).files, new Map());
    const cases: [unknown, unknown, string][] = [
      [{ length: 1, 0: plan[0] }, { source, dest }, "actions"],
      [plan, undefined, "options.source"],
      [plan, { dest }, "options.source"],
      [plan, { source }, "options.dest"],
      [plan, { source: "", dest }, "options.source"],
      [plan, { source, dest, signal: "stop" }, "options.signal"],
      [plan, { source, dest, onProgress: {} }, "options.onProgress"],
      [plan, { source, dest, sourceStats: {} }, "options.sourceStats"],
      [plan, { source, dest, destTree: { files: {} } }, "options.destTree"],
      [plan, { source, dest, backupDir: "" }, "options.backupDir"],
      [plan, null, "options"],
      ...unreadable().map((options): [unknown, unknown, string] => [plan, options, "options"]),
    ];
    for (const [actions, options, field] of cases) {
      const error = await applyActions(actions as never, options as never).catch((e: unknown) => e);
      expect(ValidationError.is(error) && error.field).toBe(field);
    }
    expect(readFiles(dest)).toEqual({});
  });
});

describe("the shell's functions take what their types declare", () => {
  it("hashTree takes cache: false as no cache, as syncDirectories does", async () => {
    const root = makeFolder();
    writeFiles(root, { "a.txt": "1" });
    const tree = await hashTree(root, { cache: false });
    expect([...tree.files.keys()]).toEqual(["a.txt"]);
  });

  it("a filter from createPathFilter, a real signal and callbacks pass", async () => {
    const root = makeFolder();
    writeFiles(root, { "a.txt": "1", "b.tmp": "2" });
    const seen: string[] = [];
    const tree = await hashTree(root, {
      filter: createPathFilter({ exclude: ["*.tmp"] }),
      signal: new AbortController().signal,
      onFile: (path) => seen.push(path),
      checksum: true,
    });
    expect([[...tree.files.keys()], seen]).toEqual([["a.txt"], ["a.txt"]]);
  });
});
