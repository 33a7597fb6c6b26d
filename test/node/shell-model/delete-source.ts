import type fc from "fast-check";
import { type Folders, removeFile, type ShellModel } from "./model";

/** Someone deletes a source file: the nth, in path order. */
export class DeleteSource implements fc.AsyncCommand<ShellModel, Folders> {
  constructor(readonly nth: number) {}

  check(model: Readonly<ShellModel>): boolean {
    return model.source.size > 0;
  }

  async run(model: ShellModel, folders: Folders): Promise<void> {
    const path = [...model.source.keys()].sort()[this.nth % model.source.size] as string;
    removeFile(folders.source, path);
    model.source.delete(path);
  }

  toString(): string {
    return `delete source file #${this.nth}`;
  }
}
