import { syncDirectories } from "cosmic-allocation/node";
import type fc from "fast-check";
import { expect } from "vitest";
import { readFiles } from "../folders";
import type { Folders, ShellModel } from "./model";

/** A sync stopped after some actions: the destination keeps every content it had that the source needs. */
export class InterruptedSync implements fc.AsyncCommand<ShellModel, Folders> {
  constructor(readonly after: number) {}

  check(): boolean {
    return true;
  }

  async run(model: ShellModel, folders: Folders): Promise<void> {
    const before = new Set(Object.values(readFiles(folders.dest)));
    const needed = [...new Set(model.source.values())].filter((content) => before.has(content));
    const controller = new AbortController();
    await syncDirectories(folders.source, folders.dest, {
      force: true,
      cache: folders.cache,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === "applying" && progress.actionsDone >= this.after) controller.abort();
      },
    }).catch((error: unknown) => {
      if ((error as Error).name !== "AbortError") throw error;
    });
    const after = new Set(Object.values(readFiles(folders.dest)));
    expect(needed.filter((content) => !after.has(content))).toEqual([]);
  }

  toString(): string {
    return `sync interrupted after ${this.after} actions`;
  }
}
