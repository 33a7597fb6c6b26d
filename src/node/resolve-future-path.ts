import { lstatSync, readlinkSync } from "node:fs";
import { dirname, isAbsolute } from "node:path";

/** What is at `path`; undefined when nothing is, or when a folder on the way is a file (ENOTDIR). */
function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** The kernel gives up after this many links in one path (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * The real absolute path that `path` names, or will name once its missing
 * folders are made: every symbolic link on the way is followed, even a link
 * whose target does not exist yet, and `..` applies to the real folder it
 * follows, as the kernel resolves it (`a/link/..` is the link target's parent,
 * not `a`). So a destination spelled through links cannot hide that it is, or
 * will be, inside the source.
 *
 * @throws an `ELOOP` error for a path with more than 40 links
 * @internal
 */
export function resolveFuturePath(path: string, cwd: string = process.cwd()): string {
  const pending = (isAbsolute(path) ? path : `${cwd}/${path}`).split("/").reverse();
  let current = "";
  let links = 0;
  let missing = false;
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name === "" || name === ".") continue;
    if (name === "..") {
      current = current === "" ? "" : dirname(current) === "/" ? "" : dirname(current);
      continue;
    }
    const next = `${current}/${name}`;
    const stats = missing ? undefined : lstatOrUndefined(next);
    if (stats?.isSymbolicLink()) {
      links += 1;
      if (links > MAX_LINKS) {
        throw Object.assign(new Error(`ELOOP: too many symbolic links in ${path}`), {
          code: "ELOOP",
        });
      }
      const target = readlinkSync(next);
      pending.push(...target.split("/").reverse());
      if (isAbsolute(target)) current = "";
      continue;
    }
    if (stats === undefined) missing = true;
    current = next;
  }
  return current === "" ? "/" : current;
}
