import { configDefaults, defineConfig, mergeConfig, type ViteUserConfig } from "vitest/config";
import { FastFirstSequencer } from "./test/mutation-sequencer";
import base from "./vitest.config";

// The tests that `npm run mutation` (stryker.config.mjs) runs against each
// mutant: the library's tests, less three groups that are slow or cannot run
// there. Leaving tests out can only lower a score, never raise it.
// - test/node and src/node: the Node shell's tests on real folders. They test the shell,
//   not the areas mutated, and take most of the time; two of them cannot pass
//   inside Stryker at all (its sandbox has mode 700, which the CLI run as
//   `nobody` cannot read; its vitest runner forces worker threads, where
//   `process.chdir` throws).
// - src/adapters/postgres: the PostgreSQL adapter's tests, on PGlite or a
//   server; they test the adapter, and a domain mutant would wait on SQL.
// - src/sync/large-folders.test.ts: folders of 130,000 files, a few seconds
//   for each of the planner's thousand mutants.
// And a failing property stops at its first counterexample (test/mutation-setup.ts),
// and the fast, pointed tests run first (test/mutation-sequencer.ts): Stryker
// stops at the first test that kills the mutant.
const config: ViteUserConfig = mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ["test/mutation-setup.ts"],
      sequence: { sequencer: FastFirstSequencer },
      exclude: [
        ...configDefaults.exclude,
        "test/node/**",
        "src/node/**",
        "src/adapters/postgres/**",
        "src/sync/large-folders.test.ts",
      ],
    },
  }),
);

export default config;
