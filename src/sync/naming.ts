/**
 * How the destination file system tells names apart, derived from the planner's
 * options: the key under which two spellings are the same file, and the
 * spelling the final tree must show.
 *
 * @internal
 */
export interface Naming {
  /** True when keys and spellings are the path itself (no option set). */
  readonly identity: boolean;
  /** True when the destination folds case, so that spelling matters beyond the key. */
  readonly foldsCase: boolean;
  /** The identity of a path on the destination: equal keys are the same file. */
  key(path: string): string;
  /** The spelling the destination keeps and shows; equal keys may differ in spelling only when case folds. */
  spelling(path: string): string;
}

const NON_ASCII = /[^\0-\x7f]/;

/**
 * Folds case the way a case-insensitive file system compares names, erring on
 * the side of folding more: two names that fold alike are treated as one file.
 * Upper-casing first maps every case variant of a letter (final sigma, long s,
 * Kelvin sign) to one form, which lower-casing then settles.
 *
 * @internal
 */
export function foldCase(name: string): string {
  return NON_ASCII.test(name) ? name.toUpperCase().toLowerCase() : name.toLowerCase();
}

function same(path: string): string {
  return path;
}

function nfc(path: string): string {
  return NON_ASCII.test(path) ? path.normalize("NFC") : path;
}

/** @internal */
export function createNaming(caseInsensitive: boolean, unicode: "exact" | "nfc"): Naming {
  const spelling = unicode === "nfc" ? nfc : same;
  if (!caseInsensitive) {
    return { identity: unicode === "exact", foldsCase: false, key: spelling, spelling };
  }
  return {
    identity: false,
    foldsCase: true,
    key: (path) => foldCase(spelling(path)),
    spelling,
  };
}
