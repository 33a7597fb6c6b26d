import type fc from "fast-check";
import { type Folders, fits, type ShellModel, writeFile } from "./model";

/** Someone writes or edits a source file. */
export class WriteSource implements fc.AsyncCommand<ShellModel, Folders> {
  constructor(
    readonly path: string,
    readonly content: string,
  ) {}

  check(model: Readonly<ShellModel>): boolean {
    return fits(model.source, this.path);
  }

  async run(model: ShellModel, folders: Folders): Promise<void> {
    writeFile(folders.source, this.path, this.content);
    model.source.set(this.path, this.content);
  }

  toString(): string {
    return `write source ${this.path} = ${this.content}`;
  }
}
