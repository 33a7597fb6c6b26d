// Mutation testing (StrykerJS 9 with the vitest runner): `npm run mutation`,
// not part of `npm test`. scripts/mutation.mjs runs one area at a time
// (MUTATION_AREA=domain, services or sync) with its own incremental file, so
// a second run re-tests only the mutants whose code or covering tests changed.
const area = process.env.MUTATION_AREA ?? "all";
const areas = area === "all" ? ["domain", "services", "sync"] : [area];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.config.ts", related: true },
  coverageAnalysis: "perTest",
  mutate: [
    ...areas.map((name) => `src/${name}/**/*.ts`),
    "!src/**/*.test.ts",
    "!src/**/*.test-prop.ts",
  ],
  // The machines have two cores, shared.
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 30_000,
  incremental: true,
  incrementalFile: `.stryker-incremental/${area}.json`,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: `reports/mutation/${area}.json` },
  htmlReporter: { fileName: `reports/mutation/${area}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};

export default config;
