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
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  coverageAnalysis: "perTest",
  mutate: [
    ...areas.map((name) => `src/${name}/**/*.ts`),
    "!src/**/*.test.ts",
    "!src/**/*.test-prop.ts",
  ],
  // The machines have two cores, shared.
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  // Added to 1.5 times the covering tests' own time: slack for a loaded machine.
  timeoutMS: 10_000,
  // The first run of every test, on a loaded machine, can take a while.
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: `.stryker-incremental/${area}.json`,
  // The event recorder writes each mutant's result as it comes, so that the
  // survivors of a long run can be read before it ends.
  reporters: ["clear-text", "progress", "json", "html", "event-recorder"],
  eventReporter: { baseDir: `reports/mutation/events-${area}` },
  jsonReporter: { fileName: `reports/mutation/${area}.json` },
  htmlReporter: { fileName: `reports/mutation/${area}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};

export default config;
