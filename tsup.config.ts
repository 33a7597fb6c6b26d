import type { Options } from "tsup";

const config: Options = {
  entry: {
    index: "src/index.ts",
    "sync/index": "src/sync/index.ts",
    "node/index": "src/node/index.ts",
    "node/cli-bin": "src/node/cli-bin.ts",
    // Started as a worker thread by the /node entry, never imported.
    "node/hash-worker": "src/node/hash-worker.ts",
    "postgres/index": "src/adapters/postgres/index.ts",
    "testing/index": "src/testing/index.ts",
  },
  format: ["esm", "cjs"],
  // `import.meta.url` in the CommonJS build too: the /node entry finds its hash worker beside itself.
  shims: true,
  target: "es2022",
  // The /sync, /node, /postgres and /testing entries import the root (and
  // /node imports /sync) through the package's own name, so each stays
  // external: one copy of every class per module system, and `instanceof`
  // holds across entries. esbuild takes a package name to cover its subpaths,
  // the declaration bundler does not: /sync is named too, or its types are
  // copied into /node.
  external: ["cosmic-allocation", "cosmic-allocation/sync"],
  dts: { compilerOptions: { ignoreDeprecations: "6.0", stripInternal: true } },
  clean: true,
  // No source maps: the output is unminified ES2022 that keeps the source's names
  // and a "// src/..." marker per file, so stack traces already read well, and
  // maps would point at src/, which the package does not ship (and would double
  // its unpacked size).
  sourcemap: false,
  treeshake: true,
  removeNodeProtocol: false,
  splitting: false,
  // Drop `/* ... @preserve */` comments (the coverage hints) from what users download.
  esbuildOptions(options) {
    options.legalComments = "none";
  },
};

export default config;
