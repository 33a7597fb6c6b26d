import { ValidationError } from "cosmic-allocation";
import { FileDirectoryClash } from "../errors/file-directory-clash";
import { NameCollision } from "../errors/name-collision";
import { assertSafePath, isSafePath } from "./assert-safe-path";
import type { Naming } from "./naming";
import type { ScratchMemory } from "./scratch-memory";
import { sortedOrder } from "./sorted-order";

/**
 * One validated input tree, its files in key order (see {@link Naming}): the
 * planner walks two trees side by side instead of looking paths up.
 *
 * @internal
 */
export interface Tree {
  readonly side: "source" | "dest";
  /**
   * How many files: the lists below may be longer (lists lent by a
   * {@link ScratchMemory}, reused plan after plan), and what they hold past
   * `count` is no part of the tree.
   */
  readonly count: number;
  /** The keys, distinct and in code-unit order; index `i` of each list is one file. */
  readonly keys: readonly string[];
  readonly paths: readonly string[];
  readonly spellings: readonly string[];
  readonly hashes: readonly string[];
  /** Every folder key implied by the paths. */
  readonly folders: ReadonlySet<string>;
  /** Folder key to the spelling the tree uses, when case folds; otherwise empty. */
  readonly folderSpellings: ReadonlyMap<string, string>;
}

type Listed = Pick<Tree, "side" | "count" | "keys" | "paths" | "spellings" | "hashes">;

/**
 * Validates a tree given to the planner and lists it in key order. When a
 * tree breaks rules in several places, the error names the first offence in
 * key order, so that the same input in any order fails the same way.
 *
 * A million paths cost a cache miss each time a pass touches them, so with no
 * naming option one pass checks each entry, lists it, confirms the order and
 * collects its folders.
 *
 * @internal
 */
export function readTree(
  input: unknown,
  side: "source" | "dest",
  naming: Naming,
  memory: ScratchMemory,
): Tree {
  const entries = asEntries(input, side);
  const read = naming.identity
    ? readPlain(entries, side, memory)
    : readNamed(entries, side, naming, memory);
  assertNoFolderIsAFile(read);
  return read;
}

function asEntries(input: unknown, side: "source" | "dest"): ReadonlyMap<unknown, unknown> {
  const expected = "a Map or a plain object from relative path to content hash";
  try {
    if (isMap(input)) return input;
    if (isPlainObject(input)) return new Map(Object.keys(input).map((key) => [key, input[key]]));
  } catch (cause) {
    throw new ValidationError(side, input, expected, { cause });
  }
  throw new ValidationError(side, input, expected);
}

// A brand check: Map.prototype.has throws for a Proxy of a Map, whose keys() would throw later.
function isMap(value: unknown): value is ReadonlyMap<unknown, unknown> {
  try {
    Map.prototype.has.call(value, undefined);
    return true;
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function checkEntry(path: unknown, hash: unknown, side: "source" | "dest"): asserts path is string {
  if (typeof path !== "string") throw new ValidationError(`${side} path`, path, "a string");
  if (typeof hash !== "string" || hash === "") {
    throw new ValidationError(`${side}[${JSON.stringify(path)}]`, hash, "a non-empty content hash");
  }
  // Stryker disable next-line ConditionalExpression: the `true` variant survives, equivalent: the full check passes every path the quick one passes
  if (!isSafePath(path)) assertSafePath(path, side);
}

/** Rethrows the first bad entry in key order, once some entry was found bad. */
function recheckInOrder(entries: ReadonlyMap<unknown, unknown>, side: "source" | "dest"): never {
  // Stryker disable next-line all: the recheck's order only decides which bad entry is named first, and a Map's keys are distinct, so no two compare equal
  const sorted = [...entries].sort(([a], [b]) => (sortKey(a) < sortKey(b) ? -1 : 1));
  for (const [path, hash] of sorted) checkEntry(path, hash, side);
  /* v8 ignore next -- @preserve: the recheck meets the entry that failed */
  // Stryker disable next-line StringLiteral: unreachable: the message of an error that cannot be thrown
  throw new Error("unreachable: an entry failed in one order only");
}

function readPlain(
  entries: ReadonlyMap<unknown, unknown>,
  side: "source" | "dest",
  memory: ScratchMemory,
): Tree {
  // Listed in input order, then copied once in key order, both into lists
  // the memory lends plan after plan: a million-path plan allocates no list,
  // since garbage of that size makes V8 collect more often, copying what is
  // live each time. Copying in key order reads the listed items at random but
  // each independently of the others, which a permutation in place, following
  // its cycles, cannot do.
  const paths = memory.list(entries.size) as string[];
  const hashes = memory.list(entries.size) as string[];
  const staged = memory.mark();
  const listedPaths = memory.list(entries.size);
  const listedHashes = memory.list(entries.size);
  let count = 0;
  entries.forEach((hash, path) => {
    listedPaths[count] = path;
    listedHashes[count] = hash;
    count += 1;
  });
  // Sort first, then check in key order: a shuffled million entries cost a
  // cache miss per touch, and the sort touches them anyway; in key order the
  // check walks neighbours, and the first bad entry it meets is the one to report.
  const order = sortedOrder(listedPaths, memory, count);
  if (order === null) recheckInOrder(entries, side);
  for (let i = 0; i < count; i++) {
    const from = order === undefined ? i : (order[i] as number);
    paths[i] = listedPaths[from] as string;
    hashes[i] = listedHashes[from] as string;
  }
  memory.release(staged);
  const folders = new Set<string>();
  // The folder of the previous path, already collected: neighbours in key order often share it.
  let previousFolder = "";
  for (let i = 0; i < count; i++) {
    const path = paths[i] as string;
    checkEntry(path, hashes[i], side);
    const end = path.lastIndexOf("/");
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: the `false`, `&&` and `<=` variants survive, equivalent: collecting a path's folders again adds nothing to the set (`end` is 0 only for a path that starts with `/`, which is refused)
    if (end < 0 || (end === previousFolder.length && path.startsWith(previousFolder))) continue;
    previousFolder = path.slice(0, end);
    addFolders(path, end, folders);
  }
  return {
    side,
    count,
    keys: paths,
    paths,
    spellings: paths,
    hashes,
    folders,
    folderSpellings: new Map(),
  };
}

/** The items of `list` in `order`. */
function permute<T>(list: readonly T[], order: Uint32Array): T[] {
  // A copy overwritten in place: three times faster than growing an array by push.
  const permuted = list.slice();
  for (let i = 0; i < order.length; i++) permuted[i] = list[order[i] as number] as T;
  return permuted;
}

/** Adds the folders above `path`, from its parent (ending at `end`) up to the first one known. */
function addFolders(path: string, parentEnd: number, folders: Set<string>): void {
  // Stryker disable next-line EqualityOperator: the `>=` variant survives, equivalent: `end` is 0 only for a path that starts with `/`, which is refused before
  for (let end = parentEnd; end > 0; end = path.lastIndexOf("/", end - 1)) {
    const folder = path.slice(0, end);
    // Stryker disable next-line ConditionalExpression: the `false` variant survives, equivalent: going on adds folders the set already holds
    if (folders.has(folder)) return;
    folders.add(folder);
  }
}

function readNamed(
  entries: ReadonlyMap<unknown, unknown>,
  side: "source" | "dest",
  naming: Naming,
  memory: ScratchMemory,
): Tree {
  const paths: string[] = [];
  const hashes: string[] = [];
  try {
    entries.forEach((hash, path) => {
      checkEntry(path, hash, side);
      paths.push(path);
      hashes.push(hash as string);
    });
  } catch {
    recheckInOrder(entries, side);
  }
  const keys = paths.map(naming.key);
  const spellings = naming.foldsCase ? paths.map(naming.spelling) : keys;
  const sorting = memory.mark();
  const order = sortedOrder(keys, memory);
  const pick = (list: string[]): string[] =>
    order === undefined || order === null ? list : permute(list, order);
  const listed = {
    side,
    count: keys.length,
    keys: pick(keys),
    paths: pick(paths),
    spellings: pick(spellings),
    hashes: pick(hashes),
  };
  memory.release(sorting);
  // Stryker disable next-line EqualityOperator: the `<=` variant survives, equivalent: one more comparison, with undefined, which never matches
  for (let i = 1; i < listed.count; i++) {
    if (listed.keys[i] === listed.keys[i - 1]) {
      throw new NameCollision(listed.paths[i - 1] as string, listed.paths[i] as string, side);
    }
  }
  return { ...listed, ...readNamedFolders(listed) };
}

/**
 * Collects the folders of a tree under folding names and checks, when case
 * folds, that each is spelled one way.
 */
function readNamedFolders({
  count,
  keys,
  spellings,
  side,
}: Listed): Pick<Tree, "folders" | "folderSpellings"> {
  const folders = new Set<string>();
  const folderSpellings = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string;
    const spelling = spellings[i] as string;
    // Folding keeps every "/", so the folders of the key and of the spelling pair up from the end.
    let spellingEnd = spelling.lastIndexOf("/");
    // Stryker disable next-line EqualityOperator: the `>=` variant survives, equivalent: `end` is 0 only for a path that starts with `/`, which is refused before
    for (let end = key.lastIndexOf("/"); end > 0; end = key.lastIndexOf("/", end - 1)) {
      const folder = key.slice(0, end);
      const folderSpelling = spelling.slice(0, spellingEnd);
      const known = folderSpellings.get(folder);
      if (known !== undefined) {
        if (known !== folderSpelling) throw new NameCollision(known, folderSpelling, side);
        break;
      }
      folders.add(folder);
      folderSpellings.set(folder, folderSpelling);
      spellingEnd = spelling.lastIndexOf("/", spellingEnd - 1);
    }
  }
  return { folders, folderSpellings };
}

/**
 * The files of a read tree for which `keep` holds, still in key order, with
 * their folders collected again.
 *
 * @internal
 */
export function subTree(tree: Tree, keep: (index: number) => boolean): Tree {
  const listed = { side: tree.side, count: 0, keys: [], paths: [], spellings: [], hashes: [] } as {
    side: Tree["side"];
    count: number;
    keys: string[];
    paths: string[];
    spellings: string[];
    hashes: string[];
  };
  for (let i = 0; i < tree.count; i++) {
    if (!keep(i)) continue;
    listed.count += 1;
    listed.keys.push(tree.keys[i] as string);
    listed.paths.push(tree.paths[i] as string);
    listed.spellings.push(tree.spellings[i] as string);
    listed.hashes.push(tree.hashes[i] as string);
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the `true` and `>=` variants survive, equivalent: when names do not fold, a folder's spelling is its key
  if (tree.folderSpellings.size > 0) return { ...listed, ...readNamedFolders(listed) };
  const folders = new Set<string>();
  for (const key of listed.keys) {
    // Stryker disable next-line StringLiteral: a file's own key among its folders meets no other file (tried on 20,000 random plans with patterns)
    const end = key.lastIndexOf("/");
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the `true` and `>=` variants survive, equivalent: `end` is 0 only for a path that starts with `/`, which is refused before
    if (end > 0) addFolders(key, end, folders);
  }
  return { ...listed, folders, folderSpellings: new Map() };
}

/** A path that is a file and a folder: reported for the first such folder in key order. */
function assertNoFolderIsAFile(tree: Tree): void {
  const { paths, folders, side } = tree;
  let clash: string | undefined;
  for (const folder of folders) {
    // Stryker disable next-line EqualityOperator: the `<=` variant survives, equivalent: the folders compared are distinct
    if ((clash === undefined || folder < clash) && indexOf(tree, folder) >= 0) clash = folder;
  }
  if (clash === undefined) return;
  const file = indexOf(tree, clash);
  const inside = lowerBound(tree, `${clash}/`);
  throw new FileDirectoryClash(paths[file] as string, paths[inside] as string, side);
}

/**
 * The index of `key` in sorted `keys`, or -1, by binary search.
 *
 * @internal
 */
export function indexOf(tree: Pick<Tree, "count" | "keys">, key: string): number {
  const index = lowerBound(tree, key);
  return index < tree.count && tree.keys[index] === key ? index : -1;
}

/** The first index whose key is not below `key`. */
function lowerBound({ count, keys }: Pick<Tree, "count" | "keys">, key: string): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Total on any key: String() of a null-prototype object throws. Such keys sort first, and fail first.
function sortKey(key: unknown): string {
  return typeof key === "string" ? `_${key}` : "";
}
