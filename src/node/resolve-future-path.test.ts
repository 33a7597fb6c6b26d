import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeFolder, removeFolders } from "../../test/node/folders";
import { resolveFuturePath } from "./resolve-future-path";

afterEach(removeFolders);

describe("resolveFuturePath names the real folder a path leads to, as the kernel follows it", () => {
  it("applies .. to the real folder a link leads to, not to the link's spelling", () => {
    const root = makeFolder();
    mkdirSync(join(root, "real", "inner"), { recursive: true });
    symlinkSync(join(root, "real", "inner"), join(root, "link"));
    expect(resolveFuturePath(`${root}/link/../x`)).toBe(join(root, "real", "x"));
  });

  it("follows relative links, a link whose target does not exist yet, and .. above the root", () => {
    const root = makeFolder();
    symlinkSync("later/deeper", join(root, "pending"));
    expect(resolveFuturePath(`${root}/pending/x/../y`)).toBe(join(root, "later", "deeper", "y"));
    expect(resolveFuturePath("/../../tmp/./x")).toBe("/tmp/x");
    expect(resolveFuturePath("/..")).toBe("/");
    expect(resolveFuturePath("rel/x", root)).toBe(join(root, "rel", "x"));
  });
});
