/**
 * Every example in the docs runs, and prints what its comments say.
 *
 * Examples are the ```ts blocks under `@example` in the TSDoc of src/, and the
 * ```ts blocks of README.md and docs/*.md (a block fenced as ```ts no-run is
 * type-checked only; a sketch that cannot compile on its own is fenced as
 * ```typescript and left alone). A line `console.log(a, b); // 1 "x"` must print exactly
 * those values. Examples that import `cosmic-allocation/node` touch the disk:
 * they are type-checked, not run.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, ".tmp", "doc-examples");

interface Example {
  readonly name: string;
  readonly file: string;
  readonly code: string;
  readonly run: boolean;
}

function filesUnder(folder: string, keep: (name: string) => boolean): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

function examplesInSource(path: string): Omit<Example, "file">[] {
  const text = readFileSync(join(root, path), "utf8");
  const found: Omit<Example, "file">[] = [];
  const pattern = /@example[\s*]*```ts\n([\s\S]*?)\n\s*\*\s*```/g;
  for (const match of text.matchAll(pattern)) {
    const code = (match[1] ?? "").replace(/^\s*\* ?/gm, "");
    const line = text.slice(0, match.index).split("\n").length;
    found.push({ name: `${path}:${line}`, code, run: !code.includes('"cosmic-allocation/node"') });
  }
  return found;
}

function examplesInMarkdown(path: string): Omit<Example, "file">[] {
  const text = readFileSync(join(root, path), "utf8");
  const found: Omit<Example, "file">[] = [];
  for (const match of text.matchAll(/^```ts( no-run)?\n([\s\S]*?)^```$/gm)) {
    const code = match[2] ?? "";
    const line = text.slice(0, match.index).split("\n").length;
    found.push({
      name: `${path}:${line}`,
      code,
      run: match[1] === undefined && !code.includes('"cosmic-allocation/node"'),
    });
  }
  return found;
}

const sources = [
  ...filesUnder("src", (name) => name.endsWith(".ts") && !/\.test(-prop)?\.ts$/.test(name)).flatMap(
    examplesInSource,
  ),
  ...[
    "README.md",
    ...filesUnder("docs", (name) => name.endsWith(".md") && !name.startsWith("api")),
  ].flatMap(examplesInMarkdown),
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const examples: Example[] = sources.map((example, index) => {
  const file = join(out, `example-${String(index).padStart(3, "0")}.ts`);
  writeFileSync(file, `// ${example.name}\n${example.code}\nexport {};\n`);
  return { ...example, file };
});

/** Splits `1 "a b" { x: 1 }` into its top-level values and evaluates each. */
function expectedValues(comment: string): unknown[] {
  const tokens: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (const char of comment.trim()) {
    if (quote !== null) {
      current += char;
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (/\s/.test(char) && depth === 0) {
      if (current !== "") tokens.push(current);
      current = "";
    } else {
      if ("[{(".includes(char)) depth += 1;
      if ("]})".includes(char)) depth -= 1;
      current += char;
    }
  }
  if (current !== "") tokens.push(current);
  return tokens.map((token) => new Function(`return (${token});`)());
}

function printedExpectations(code: string): unknown[][] {
  return code
    .split("\n")
    .filter((line) => /console\.log\(.*\/\/ /.test(line))
    .map((line) => expectedValues(line.slice(line.lastIndexOf("// ") + 3)));
}

describe("the examples in the docs", () => {
  afterAll(() => vi.restoreAllMocks());

  it("were found, in the TSDoc of every entry and in the guides", () => {
    expect(examples.length).toBeGreaterThan(20);
  });

  it("all type-check against the public API", () => {
    const tsconfig = join(out, "tsconfig.json");
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: relative(out, join(root, "tsconfig.json")),
        compilerOptions: { noEmit: true, isolatedDeclarations: false, declaration: false },
        include: ["./*.ts"],
      }),
    );
    try {
      execFileSync(
        process.execPath,
        [join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig],
        {
          encoding: "utf8",
          stdio: "pipe",
        },
      );
    } catch (error) {
      const output = (error as { stdout?: string }).stdout ?? String(error);
      throw new Error(`examples do not type-check:\n${output}`);
    }
  }, 60_000);

  for (const example of examples.filter((candidate) => candidate.run)) {
    it(`${example.name} runs and prints what its comments say`, async () => {
      const printed: unknown[][] = [];
      const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
        printed.push(args);
      });
      try {
        await import(pathToFileURL(example.file).href);
      } finally {
        log.mockRestore();
      }
      expect(printed).toEqual(printedExpectations(example.code));
    });
  }
});
