/**
 * Hostile values for fuzzing the public API: what a careless or malicious
 * caller, a reactive framework or another realm can hand the library.
 *
 * Each is a {@link Recipe}, built afresh on every run by `make()`: a revoked
 * Proxy or an object whose getters throw must neither be shared between runs
 * nor be inspected by fast-check itself (which probes values to clone and
 * print them), and a recipe prints as its label in a counterexample.
 */

import vm from "node:vm";
import { Batch, OrderLine } from "cosmic-allocation";
import fc from "fast-check";

/** A value built anew for each run, printed as its label. */
export interface Recipe {
  readonly label: string;
  make(): unknown;
}

export function recipe(label: string, make: () => unknown): Recipe {
  return { label, make, [fc.toStringMethod]: () => label } as Recipe;
}

/** A valid value, the same on every run. */
export function plain(value: unknown, label: string = fc.stringify(value)): Recipe {
  return recipe(label, () => structuredClone(value));
}

class HostileError extends Error {
  override readonly name = "HostileError";
}

function boom(): never {
  throw new HostileError("thrown by hostile input");
}

// Every field name the public API reads, so that a getter-trap object meets
// the library wherever it looks.
const FIELD_NAMES = [
  "orderid",
  "sku",
  "qty",
  "reference",
  "ref",
  "eta",
  "allocations",
  "batches",
  "versionNumber",
  "retries",
  "backoff",
  "publish",
  "onRetry",
  "caseInsensitive",
  "unicode",
  "length",
  "0",
  "then",
  "toJSON",
  "constructor",
] as const;

function revoked(target: object): unknown {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

// A handler whose every trap throws: the Proxy is alive, yet nothing can be learnt from it.
const throwingHandler: ProxyHandler<object> = Object.fromEntries(
  [
    "get",
    "set",
    "has",
    "deleteProperty",
    "ownKeys",
    "getOwnPropertyDescriptor",
    "defineProperty",
    "getPrototypeOf",
    "setPrototypeOf",
    "isExtensible",
    "preventExtensions",
    "apply",
    "construct",
  ].map((trap) => [trap, boom]),
);

function withThrowingGetters(target: object): object {
  for (const name of [...FIELD_NAMES, Symbol.iterator, Symbol.toPrimitive]) {
    // An array's length cannot become a getter.
    if (Object.getOwnPropertyDescriptor(target, name)?.configurable === false) continue;
    Object.defineProperty(target, name, { get: boom, enumerable: true });
  }
  return target;
}

class InfiniteDate extends Date {
  override getTime(): number {
    return Number.POSITIVE_INFINITY;
  }
  override valueOf(): number {
    return Number.POSITIVE_INFINITY;
  }
}

class StringDate extends Date {
  override getTime(): number {
    return "tomorrow" as unknown as number;
  }
}

// An invalid Date that claims a valid time: its slot, not its method, decides.
class LyingInvalidDate extends Date {
  override getTime(): number {
    return 0;
  }
}

const anOrderLine = (): OrderLine => new OrderLine("o1", "LAMP", 1);
const aBatch = (): Batch => new Batch("b1", "LAMP", 10);

/** Hostile values that fast-check's `anything()` never makes. */
export const catalogue: readonly Recipe[] = [
  recipe("a revoked Proxy of an object", () => revoked({})),
  recipe("a revoked Proxy of an array", () => revoked([])),
  recipe("a revoked Proxy of a function", () => revoked(() => undefined)),
  recipe("a revoked Proxy of a Date", () => revoked(new Date(0))),
  recipe("a revoked Proxy of an OrderLine", () => revoked(anOrderLine())),
  recipe("a revoked Proxy of a Batch", () => revoked(aBatch())),
  recipe("a Proxy whose every trap throws", () => new Proxy({}, throwingHandler)),
  recipe("a Proxy of an OrderLine", () => new Proxy(anOrderLine(), {})),
  recipe("a Proxy of a Batch", () => new Proxy(aBatch(), {})),
  recipe("a Proxy of a Date", () => new Proxy(new Date(0), {})),
  recipe("a Proxy of an array of one Batch", () => new Proxy([aBatch()], {})),
  recipe("an object whose getters throw", () => withThrowingGetters({})),
  recipe("an array whose getters throw", () => withThrowingGetters([])),
  recipe("an array whose first element's getter throws", () =>
    Object.defineProperty([], 0, { get: boom, enumerable: true }),
  ),
  recipe("an iterable whose iterator throws", () => ({ [Symbol.iterator]: boom })),
  recipe("a generator that yields a Batch, then throws", () =>
    (function* () {
      yield aBatch();
      boom();
    })(),
  ),
  recipe("an iterator whose result's done getter throws", () => ({
    [Symbol.iterator]: () => ({
      next: () => ({
        get done(): boolean {
          return boom();
        },
      }),
    }),
  })),
  recipe("an object with a throwing Symbol.toPrimitive", () => ({ [Symbol.toPrimitive]: boom })),
  recipe("an object with a throwing toString and valueOf", () => ({
    toString: boom,
    valueOf: boom,
  })),
  recipe("an object whose toString is not a function", () => ({ toString: 1, valueOf: 1 })),
  recipe("a Date subclass whose getTime returns Infinity", () => new InfiniteDate(0)),
  recipe("a Date subclass whose getTime returns a string", () => new StringDate(0)),
  recipe("an invalid Date whose getTime returns 0", () => new LyingInvalidDate(Number.NaN)),
  recipe("Object.create(Date.prototype)", () => Object.create(Date.prototype)),
  recipe("an invalid Date", () => new Date(Number.NaN)),
  recipe("a Date of another realm", () => vm.runInNewContext("new Date(0)")),
  recipe("an invalid Date of another realm", () => vm.runInNewContext("new Date(NaN)")),
  recipe("an object of another realm", () => vm.runInNewContext("({ sku: 'LAMP', qty: 1 })")),
  recipe("a symbol", () => Symbol("hostile")),
  recipe("a null-prototype object", () => Object.create(null)),
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point
  recipe("[ , ] (an array with a hole)", () => [,]),
  recipe("a function", () => () => undefined),
  recipe("a bigint", () => 10n),
  // A thenable that throws: what `await` meets when a service's argument is awaited.
  recipe("an object whose then getter throws", () =>
    // biome-ignore lint/suspicious/noThenProperty: the hostile thenable is the point
    Object.defineProperty({}, "then", { get: boom }),
  ),
];

/** Everything fast-check's `anything()` makes, boxed values and null prototypes included. */
const anything: fc.Arbitrary<Recipe> = fc
  .anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  })
  .map((value) => recipe(fc.stringify(value), () => value));

/** A hostile value: one of the catalogue, or anything at all. */
export const hostile: fc.Arbitrary<Recipe> = fc.oneof(
  { arbitrary: fc.constantFrom(...catalogue), weight: 2 },
  { arbitrary: anything, weight: 1 },
);

/** The valid value of an argument, or, as often, a hostile one in its place. */
export function orHostile(valid: fc.Arbitrary<Recipe>): fc.Arbitrary<Recipe> {
  return fc.oneof(valid, hostile);
}

// A marker for "remove this node": a hole in an array, a missing field in an object.
const HOLE = Symbol("hole");

type Path = readonly (string | number)[];

function pathsOf(node: unknown, path: Path = []): Path[] {
  if (typeof node !== "object" || node === null) return [path];
  const keys = Array.isArray(node) ? node.map((_, index) => index) : Object.keys(node);
  return [
    path,
    ...keys.flatMap((key) => pathsOf((node as Record<string, unknown>)[key], [...path, key])),
  ];
}

function replaceAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === HOLE) delete parent[last];
  else parent[last] = value;
  return root;
}

const removal: Recipe = recipe("a hole", () => HOLE);

/**
 * A valid JSON document with one node, at any depth, replaced by a hostile
 * value or removed (a hole in an array, a missing field in an object), or the
 * whole document wrapped in a Proxy.
 */
export function corrupted(valid: fc.Arbitrary<unknown>): fc.Arbitrary<Recipe> {
  const replacement = fc.oneof(hostile, fc.constant(removal));
  return fc.oneof(
    fc.tuple(valid, fc.nat(), replacement).map(([document, pick, value]) => {
      const paths = pathsOf(document);
      const path = paths[pick % paths.length] as Path;
      return recipe(
        `${fc.stringify(document)} with ${path.join(".") || "itself"} := ${value.label}`,
        () => replaceAt(structuredClone(document), path, value.make()),
      );
    }),
    valid.map((document) =>
      recipe(
        `a Proxy of ${fc.stringify(document)}`,
        () => new Proxy(structuredClone(document) as object, {}),
      ),
    ),
  );
}
