import fc from "fast-check";
import { afterEach, describe, it } from "vitest";
import { makeFolder, removeFolders } from "./folders";
import { DeleteSource } from "./shell-model/delete-source";
import { InterruptedSync } from "./shell-model/interrupted-sync";
import type { Folders, ShellModel } from "./shell-model/model";
import { RenameSource } from "./shell-model/rename-source";
import { Sync } from "./shell-model/sync";
import { TamperDest } from "./shell-model/tamper-dest";
import { WriteSource } from "./shell-model/write-source";

afterEach(removeFolders);

const path = fc
  .array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 2 })
  .map((segments) => segments.join("/"));
const content = fc.constantFrom("x", "y", "z", "w");

const commands = fc.commands(
  [
    fc.tuple(path, content).map(([at, text]) => new WriteSource(at, text)),
    fc.nat().map((nth) => new DeleteSource(nth)),
    fc.tuple(fc.nat(), path).map(([nth, to]) => new RenameSource(nth, to)),
    fc.tuple(path, content).map(([at, text]) => new TamperDest(at, text)),
    fc.nat({ max: 6 }).map((after) => new InterruptedSync(after)),
    fc.constant(new Sync()),
  ],
  { maxCommands: 14 },
);

describe("syncDirectories against a model of what the destination must hold", () => {
  it("after any history of source edits, tampering, and interrupted syncs, a complete sync leaves exactly the source's files", async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (history) => {
        const folders: Folders = { source: makeFolder(), dest: makeFolder(), cache: makeFolder() };
        const model: ShellModel = { source: new Map() };
        await fc.asyncModelRun(() => ({ model, real: folders }), [...history, new Sync()]);
        removeFolders();
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 20) },
    );
  });
});
