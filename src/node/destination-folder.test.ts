import { PathOccupied } from "cosmic-allocation/sync";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, removeFolders, sha256, writeFiles } from "../../test/node/folders";
import { DestinationFolder } from "./destination-folder";
import { SafeRoot } from "./safe-root";

afterEach(removeFolders);

const folderAt = (root: string) => new DestinationFolder(SafeRoot.at(root), undefined);
const buffer = Buffer.alloc(1 << 16);

describe("DestinationFolder", () => {
  it("moves without replacing when the target must be free: a taken name fails and both files stay", () => {
    const root = makeFolder();
    writeFiles(root, { a: "A", b: "B" });
    const move = { type: "move", from: "a", to: "b", hash: sha256("A"), replaces: null } as const;
    let error: unknown;
    try {
      folderAt(root).move(move, buffer, undefined);
    } catch (caught) {
      error = caught;
    }
    expect(PathOccupied.is(error) && [error.path, error.found]).toEqual(["b", "file"]);
    expect(readFiles(root)).toEqual({ a: "A", b: "B" });
  });

  it("removes the folders a removal leaves empty, up to the first that is not", () => {
    const root = makeFolder();
    writeFiles(root, { "x/y/z/file": "1", "x/keep": "2" });
    const folder = folderAt(root);
    folder.remove("x/y/z/file", sha256("1"), buffer);
    folder.sweep();
    expect(readFiles(root)).toEqual({ "x/keep": "2" });
  });
});
