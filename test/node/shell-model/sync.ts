import { syncDirectories } from "cosmic-allocation/node";
import type fc from "fast-check";
import { expect } from "vitest";
import { readFiles } from "../folders";
import type { Folders, ShellModel } from "./model";

/** A complete sync: the destination then holds exactly the source's files. */
export class Sync implements fc.AsyncCommand<ShellModel, Folders> {
  check(): boolean {
    return true;
  }

  async run(model: ShellModel, folders: Folders): Promise<void> {
    await syncDirectories(folders.source, folders.dest, { force: true, cache: folders.cache });
    expect(readFiles(folders.dest)).toEqual(Object.fromEntries([...model.source].sort()));
  }

  toString(): string {
    return "sync";
  }
}
