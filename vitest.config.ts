import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

const config: ViteUserConfig = defineConfig({
  resolve: {
    // Tests and the /node and /testing entries import the root by the package's
    // own name, exactly as users do.
    alias: [
      { find: /^cosmic-allocation$/, replacement: src("index.ts") },
      { find: /^cosmic-allocation\/node$/, replacement: src("node/index.ts") },
      { find: /^cosmic-allocation\/postgres$/, replacement: src("adapters/postgres/index.ts") },
      { find: /^cosmic-allocation\/sync$/, replacement: src("sync/index.ts") },
      { find: /^cosmic-allocation\/testing$/, replacement: src("testing/index.ts") },
    ],
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test-prop.ts", "test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    reporters: ["default", ["json", { outputFile: "reports/vitest-library.json" }]],
    testTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      // cli-bin.ts only wires the process; hash-worker.ts runs on a worker thread,
      // out of the coverage tool's sight (test/node/hash-in-worker.test.ts runs it).
      exclude: [
        "src/**/*.test.ts",
        "src/**/*.test-prop.ts",
        "src/node/cli-bin.ts",
        "src/node/hash-worker.ts",
      ],
      reporter: ["text-summary", "html"],
      reportsDirectory: "coverage",
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});

export default config;
