import { ValidationError } from "cosmic-allocation";
import type { PathFilter } from "cosmic-allocation/sync";
import type { AbortSignalLike } from "./abort-signal-like";
import type { KnownFiles } from "./destination-folder";

/**
 * What one option may be, besides absent (`undefined`): a check, and the words
 * a `ValidationError` says the option was expected to be.
 */
export interface OptionRule<T> {
  readonly accepts: (value: unknown) => value is T;
  readonly expected: string;
}

const rule = <T>(accepts: (value: unknown) => value is T, expected: string): OptionRule<T> => ({
  accepts,
  expected,
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  (typeof value === "object" && value !== null) || typeof value === "function";

/** The kinds of option the shell's functions take. */
export const option: {
  readonly boolean: OptionRule<boolean>;
  // biome-ignore lint/complexity/noBannedTypes: any function is accepted; its caller's type says how it is called
  readonly callback: OptionRule<Function>;
  readonly path: OptionRule<string>;
  readonly cache: OptionRule<string | false>;
  readonly signal: OptionRule<AbortSignalLike>;
  readonly filter: OptionRule<PathFilter>;
  readonly map: OptionRule<ReadonlyMap<unknown, unknown>>;
  readonly tree: OptionRule<KnownFiles>;
  readonly any: OptionRule<unknown>;
} = {
  boolean: rule((value): value is boolean => typeof value === "boolean", "a boolean"),
  callback: rule(
    // biome-ignore lint/complexity/noBannedTypes: any function is accepted; its caller's type says how it is called
    (value): value is Function => typeof value === "function",
    "a function",
  ),
  /** A path: an empty one would name the current folder, so it is refused. */
  path: rule(
    (value): value is string => typeof value === "string" && value !== "",
    "a non-empty path",
  ),
  /** A cache folder, or `false` for none. */
  cache: rule(
    (value): value is string | false =>
      value === false || (typeof value === "string" && value !== ""),
    "a non-empty path, or false for no cache",
  ),
  signal: rule(
    (value): value is AbortSignalLike =>
      isObject(value) &&
      typeof value.aborted === "boolean" &&
      typeof value.throwIfAborted === "function",
    "an AbortSignal",
  ),
  filter: rule(
    (value): value is PathFilter =>
      isObject(value) &&
      typeof value.empty === "boolean" &&
      typeof value.excludesEntry === "function" &&
      typeof value.excludesFile === "function",
    "a PathFilter, as createPathFilter makes",
  ),
  map: rule((value): value is ReadonlyMap<unknown, unknown> => value instanceof Map, "a Map"),
  tree: rule(
    (value): value is KnownFiles => isObject(value) && value.files instanceof Map,
    "a tree, as hashTree gives",
  ),
  /** Read here, checked by the function that uses it (with its own message). */
  any: rule((_value): _value is unknown => true, "anything"),
};

/**
 * Reads a shell function's options once, each named field a single time (a
 * getter is not asked twice, so what is checked is what is used), and checks
 * each against its rule, before the function reads or writes anything: a bad
 * option is a `ValidationError` naming it (`options.signal`), never a
 * `TypeError` halfway through a sync. `undefined` stands for every default.
 * Every field that the options' type declares has a rule (the type checker
 * sees to it); a field it does not declare is not read.
 *
 * @throws {@link cosmic-allocation!ValidationError} when `options` is not an object, cannot be read, or a field breaks its rule
 */
export function readShellOptions<Options extends object>(
  options: Options | undefined,
  rules: { readonly [Field in keyof Required<Options>]: OptionRule<unknown> },
): Options {
  if (options === undefined) return {} as Options;
  if (!isObject(options)) throw new ValidationError("options", options, "an object");
  const read: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(rules) as [string, OptionRule<unknown>][]) {
    let value: unknown;
    try {
      value = options[field];
    } catch (cause) {
      // A revoked Proxy, or a getter that throws.
      throw new ValidationError("options", options, "a readable object", { cause });
    }
    if (value === undefined) continue;
    if (!rule.accepts(value)) throw new ValidationError(`options.${field}`, value, rule.expected);
    read[field] = value;
  }
  return read as Options;
}

/**
 * Checks a folder argument (`root`, `source`, `dest`, `backupDir`): a
 * non-empty string, since Node takes an empty path for the current folder.
 *
 * @throws {@link cosmic-allocation!ValidationError} naming `field` otherwise
 */
export function assertFolderPath(field: string, value: unknown): asserts value is string {
  if (!option.path.accepts(value)) {
    throw new ValidationError(field, value, "a folder path (an empty path is refused)");
  }
}
