import type { BackedUpAction, DetermineActionsOptions } from "cosmic-allocation/sync";

/** How a test file system compares names: the same rules the planner is told about, stated again here. */
export interface NameRules {
  key(path: string): string;
  spelling(path: string): string;
  readonly foldsCase: boolean;
}

export function nameRules(options: DetermineActionsOptions = {}): NameRules {
  const spelling = (path: string): string =>
    options.unicode === "nfc" ? path.normalize("NFC") : path;
  const caseInsensitive = options.caseInsensitive === true;
  return {
    spelling,
    key: (path) => (caseInsensitive ? spelling(path).toUpperCase().toLowerCase() : spelling(path)),
    foldsCase: caseInsensitive,
  };
}

/** Thrown when an action breaks a rule of the strict file system. */
export class Violation extends Error {}

interface StoredFile {
  readonly spelling: string;
  readonly hash: string;
}

interface StoredFolder {
  readonly spelling: string;
  files: number;
}

function ancestors(path: string): string[] {
  const segments = path.split("/");
  return segments.slice(1).map((_, i) => segments.slice(0, i + 1).join("/"));
}

/**
 * A strict in-memory destination: a write goes to a free path, or replaces in
 * place the file its action says it replaces (same spelling, that exact
 * content), as `rename(2)` over a file does; nothing is written onto a folder
 * or below a file; a delete removes the content it names; folders exist while
 * they hold a file; and a case-insensitive destination keeps the spelling a
 * folder was created with, as real file systems do.
 */
export class VirtualDestination {
  private readonly files = new Map<string, StoredFile>();
  private readonly folders = new Map<string, StoredFolder>();
  /** The backup folder: each saved path to the content it held. */
  readonly backups: Map<string, string> = new Map();

  constructor(
    initial: Iterable<readonly [string, string]>,
    private readonly rules: NameRules = nameRules(),
  ) {
    for (const [path, hash] of initial) {
      this.assertWritable(path);
      this.add(path, hash);
    }
  }

  /** Adds a file if the path is free, as a file system would create it; tells whether it did. */
  put(path: string, hash: string): boolean {
    try {
      this.assertWritable(path);
    } catch {
      return false;
    }
    this.add(path, hash);
    return true;
  }

  /** The tree now: each file's spelling (folders as created) to its hash. */
  tree(): Map<string, string> {
    return new Map([...this.files.values()].map((file) => [file.spelling, file.hash]));
  }

  /** Every content hash present now. */
  contents(): Set<string> {
    return new Set([...this.files.values()].map((file) => file.hash));
  }

  /** Applies one action, or throws a {@link Violation} naming the rule it breaks. */
  apply(action: BackedUpAction, source: ReadonlyMap<string, string>): void {
    switch (action.type) {
      case "copy": {
        if (source.get(action.from) !== action.hash) {
          throw new Violation(
            `copy reads source ${action.from}, which does not hold ${action.hash}`,
          );
        }
        this.write(action.to, action.hash, action.replaces);
        return;
      }
      case "duplicate": {
        this.read(action.from, action.hash);
        this.write(action.to, action.hash, action.replaces);
        return;
      }
      case "move": {
        this.read(action.from, action.hash);
        if (this.rules.key(action.from) === this.rules.key(action.to)) {
          throw new Violation(`moves ${action.from} onto itself`);
        }
        this.remove(action.from);
        this.write(action.to, action.hash, action.replaces);
        return;
      }
      case "delete": {
        this.read(action.path, action.hash);
        this.remove(action.path);
        return;
      }
      case "backup": {
        this.read(action.path, action.hash);
        if (this.backups.has(action.path)) throw new Violation(`backs up ${action.path} twice`);
        this.backups.set(action.path, action.hash);
        if (action.mode === "move") this.remove(action.path);
      }
    }
  }

  /** Tells whether a file is at `path`, spelled that way. */
  has(path: string): boolean {
    return this.files.get(this.rules.key(path))?.spelling === this.rules.spelling(path);
  }

  /** Writes a free path, or replaces in place the file that holds `replaces`. */
  private write(path: string, hash: string, replaces: string | null): void {
    if (replaces === null) {
      this.assertWritable(path);
      this.add(path, hash);
      return;
    }
    const file = this.files.get(this.rules.key(path));
    if (file === undefined) throw new Violation(`replaces ${path}, which is not a file`);
    if (file.spelling !== this.rules.spelling(path)) {
      throw new Violation(`replaces ${path}, which is spelled ${file.spelling}`);
    }
    if (file.hash !== replaces) {
      throw new Violation(`replaces ${path} expecting ${replaces}, which holds ${file.hash}`);
    }
    this.files.set(this.rules.key(path), { spelling: file.spelling, hash });
  }

  private read(path: string, hash: string): void {
    const file = this.files.get(this.rules.key(path));
    if (file === undefined) throw new Violation(`reads ${path}, which is not a file`);
    if (file.spelling !== this.rules.spelling(path)) {
      throw new Violation(`reads ${path}, which is spelled ${file.spelling}`);
    }
    if (file.hash !== hash)
      throw new Violation(`reads ${path} for ${hash}, which holds ${file.hash}`);
  }

  private assertWritable(path: string): void {
    const key = this.rules.key(path);
    if (this.files.has(key)) throw new Violation(`writes onto the file at ${path}`);
    if (this.folders.has(key)) throw new Violation(`writes onto the folder at ${path}`);
    for (const folder of ancestors(key)) {
      if (this.files.has(folder)) throw new Violation(`writes ${path} below the file ${folder}`);
    }
  }

  private add(path: string, hash: string): void {
    const segments = this.rules.spelling(path).split("/");
    const spelled: string[] = [];
    for (const [i, segment] of segments.entries()) {
      const prefix = [...spelled, segment].join("/");
      const key = this.rules.key(prefix);
      const folder = i < segments.length - 1 ? this.folders.get(key) : undefined;
      spelled.push(folder === undefined ? segment : (folder.spelling.split("/").at(-1) as string));
      if (i < segments.length - 1) {
        if (folder === undefined) this.folders.set(key, { spelling: spelled.join("/"), files: 1 });
        else folder.files += 1;
      }
    }
    this.files.set(this.rules.key(path), { spelling: spelled.join("/"), hash });
  }

  private remove(path: string): void {
    const key = this.rules.key(path);
    this.files.delete(key);
    for (const folder of ancestors(key)) {
      const stored = this.folders.get(folder) as StoredFolder;
      stored.files -= 1;
      if (stored.files === 0) this.folders.delete(folder);
    }
  }
}

/** What happened when a plan was applied step by step. */
export interface Replay {
  readonly final: Map<string, string>;
  /** The first step (index) at which a content the final tree needs and the destination had was absent, if any. */
  readonly lostAt: number | undefined;
  /** The first step (index) after which a path both trees have, spelled alike, was missing, if any. */
  readonly missingAt: number | undefined;
  /** The backup folder at the end: each saved path to its content. */
  readonly backups: ReadonlyMap<string, string>;
}

/**
 * Applies a plan to a strict destination, checking after every step that each
 * content the source needs and the destination held is still present.
 */
export function replay(
  source: ReadonlyMap<string, string>,
  dest: ReadonlyMap<string, string>,
  actions: readonly BackedUpAction[],
  rules: NameRules = nameRules(),
): Replay {
  const fs = new VirtualDestination(dest, rules);
  const destContents = new Set(dest.values());
  const needed = [...new Set(source.values())].filter((hash) => destContents.has(hash));
  const destSpellings = new Set([...dest.keys()].map(rules.spelling));
  const shared = [...source.keys()].filter((path) => destSpellings.has(rules.spelling(path)));
  let lostAt: number | undefined;
  let missingAt: number | undefined;
  for (const [step, action] of actions.entries()) {
    fs.apply(action, source);
    const present = fs.contents();
    if (lostAt === undefined && needed.some((hash) => !present.has(hash))) lostAt = step;
    if (missingAt === undefined && shared.some((path) => !fs.has(path))) missingAt = step;
  }
  return { final: fs.tree(), lostAt, missingAt, backups: fs.backups };
}

/** The tree as the destination must end: spellings under the rules (keys when only normalization folds). */
export function expectedTree(
  source: ReadonlyMap<string, string>,
  rules: NameRules,
): Map<string, string> {
  return canonical(source, rules);
}

/** A tree keyed the way the rules tell files apart and spell them, for comparing trees. */
export function canonical(
  tree: ReadonlyMap<string, string>,
  rules: NameRules,
): Map<string, string> {
  const name = rules.foldsCase ? rules.spelling : rules.key;
  return new Map([...tree].map(([path, hash]) => [name(path), hash]));
}
