import type fc from "fast-check";
import { type Folders, fits, removeFile, type ShellModel, writeFile } from "./model";

/** Someone renames a source file, the nth in path order, to a free path. */
export class RenameSource implements fc.AsyncCommand<ShellModel, Folders> {
  constructor(
    readonly nth: number,
    readonly to: string,
  ) {}

  check(model: Readonly<ShellModel>): boolean {
    return model.source.size > 0 && !model.source.has(this.to) && fits(model.source, this.to);
  }

  async run(model: ShellModel, folders: Folders): Promise<void> {
    const from = [...model.source.keys()].sort()[this.nth % model.source.size] as string;
    const content = model.source.get(from) as string;
    removeFile(folders.source, from);
    model.source.delete(from);
    if (!fits(model.source, this.to)) return;
    writeFile(folders.source, this.to, content);
    model.source.set(this.to, content);
  }

  toString(): string {
    return `rename source file #${this.nth} to ${this.to}`;
  }
}
