import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import { PathOccupied } from "cosmic-allocation/sync";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, removeFolders, writeFiles } from "../../test/node/folders";
import { SafeRoot } from "./safe-root";

afterEach(removeFolders);

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("a safe root", () => {
  it.skipIf(!existsSync("/proc/self/fd"))(
    "a folder swapped for a link after it was opened cannot redirect an access: it happens in the folder that was checked",
    () => {
      const parent = makeFolder();
      const outside = makeFolder();
      writeFiles(parent, { "a/x.txt": "ours" });
      writeFiles(outside, { "x.txt": "theirs" });
      const root = SafeRoot.at(parent);
      try {
        expect(root.checkFolders("a/x.txt", false)).toBe(true);
        renameSync(join(parent, "a"), join(parent, "a-moved-away"));
        symlinkSync(outside, join(parent, "a"));
        unlinkSync(root.reach("a/x.txt"));
      } finally {
        root.close();
      }
      expect(readFiles(outside)).toEqual({ "x.txt": "theirs" });
      expect(existsSync(join(parent, "a-moved-away", "x.txt"))).toBe(false);
    },
  );

  for (const descriptors of [true, false]) {
    it(`${descriptors ? "through descriptors" : "by checked paths"}: a link or a file on the way is refused, naming it; a missing folder is made only when asked`, () => {
      const parent = makeFolder();
      const outside = makeFolder();
      writeFiles(parent, { file: "f", "real/x": "x" });
      symlinkSync(outside, join(parent, "link"));
      const root = SafeRoot.at(parent, { descriptors });
      try {
        const link = caught(() => root.checkFolders("link/x", true));
        expect(PathOccupied.is(link) && [link.path, link.found]).toEqual(["link", "symlink"]);
        const file = caught(() => root.checkFolders("file/x", true));
        expect(PathOccupied.is(file) && [file.path, file.found]).toEqual(["file", "file"]);
        expect(root.checkFolders("new/deeper/x", false)).toBe(false);
        expect(root.lstat("new/deeper/x")).toBeUndefined();
        expect(root.checkFolders("new/deeper/x", true)).toBe(true);
        expect(root.lstat("new/deeper")?.isDirectory()).toBe(true);
        expect(readFileSync(root.reach("real/x"), "utf8")).toBe("x");
      } finally {
        root.close();
      }
      expect(readFiles(outside)).toEqual({});
    });
  }

  it("holds paths to the system's length limit, as if they were reached by their full path", () => {
    const parent = makeFolder();
    const root = SafeRoot.at(parent);
    try {
      const deep = `${"n".repeat(200)}/`.repeat(25);
      expect(caught(() => root.reach(`${deep}x`))).toMatchObject({ code: "ENAMETOOLONG" });
      expect(caught(() => root.reachFolder(deep.slice(0, -1)))).toMatchObject({
        code: "ENAMETOOLONG",
      });
    } finally {
      root.close();
    }
  });

  it.skipIf(!existsSync("/proc/self/fd"))(
    "keeps at most 64 folder descriptors between actions, and reopens a closed one when it is needed again",
    () => {
      const parent = makeFolder();
      const files = Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [`f${i}/deep/x`, `${i}`]),
      );
      writeFiles(parent, files);
      const root = SafeRoot.at(parent);
      try {
        for (const path of Object.keys(files)) {
          root.checkRoot();
          expect(root.checkFolders(path, false)).toBe(true);
        }
        root.checkRoot();
        const open = readdirSync("/proc/self/fd").length;
        for (const [path, content] of Object.entries(files)) {
          root.checkRoot();
          expect(readFileSync(root.reach(path), "utf8")).toBe(content);
        }
        expect(readdirSync("/proc/self/fd").length).toBeLessThanOrEqual(open + 2);
      } finally {
        root.close();
      }
    },
  );
});
