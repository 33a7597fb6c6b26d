import type fc from "fast-check";
import { readFiles } from "../folders";
import { type Folders, fits, type ShellModel, writeFile } from "./model";

/** Someone writes a file in the destination behind the sync's back; the next sync must undo it. */
export class TamperDest implements fc.AsyncCommand<ShellModel, Folders> {
  constructor(
    readonly path: string,
    readonly content: string,
  ) {}

  check(): boolean {
    return true;
  }

  async run(_: ShellModel, folders: Folders): Promise<void> {
    const dest = new Map(Object.entries(readFiles(folders.dest)));
    if (fits(dest, this.path)) writeFile(folders.dest, this.path, this.content);
  }

  toString(): string {
    return `tamper dest ${this.path} = ${this.content}`;
  }
}
