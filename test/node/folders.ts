import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

// Syncs keep hash caches under $XDG_CACHE_HOME: keep the tests' out of the user's home.
process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), "cosmic-sync-cache-"));

/** A fresh temporary folder; removed by {@link removeFolders}. */
export function makeFolder(prefix = "cosmic-sync-"): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  made.push(folder);
  return folder;
}

const made: string[] = [];

export function removeFolders(): void {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** Writes files under `root`, creating folders: relative path to text content. */
export function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Every regular file under `root`: relative POSIX path to text content, in path order. */
export function readFiles(root: string): Record<string, string> {
  const files: [string, string][] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).split("\\").join("/");
    files.push([path, readFileSync(join(root, path), "utf8")]);
  }
  return Object.fromEntries(files.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every folder under `root`, relative, in path order: to check none is left behind. */
export function readFolders(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

export function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}
