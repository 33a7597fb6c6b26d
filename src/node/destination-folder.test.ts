import { PathOccupied } from "cosmic-allocation";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, readFiles, removeFolders, writeFiles } from "../../test/node/folders";
import { DestinationFolder } from "./destination-folder";

afterEach(removeFolders);

describe("DestinationFolder", () => {
  it("renames without replacing: a taken name fails and both files stay", async () => {
    const root = makeFolder();
    writeFiles(root, { a: "A", b: "B" });
    const error = await new DestinationFolder(root).rename("a", "b").catch((e: unknown) => e);
    expect(PathOccupied.is(error) && [error.path, error.found]).toEqual(["b", "file"]);
    expect(readFiles(root)).toEqual({ a: "A", b: "B" });
  });

  it("removes the folders a removal leaves empty, up to the first that is not", async () => {
    const root = makeFolder();
    writeFiles(root, { "x/y/z/file": "1", "x/keep": "2" });
    await new DestinationFolder(root).remove("x/y/z/file");
    expect(readFiles(root)).toEqual({ "x/keep": "2" });
  });
});
