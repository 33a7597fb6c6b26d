/**
 * Vitest setup for every test file: fast-check's default number of runs per
 * property, raised for a stress run with `FC_NUM_RUNS=2000 npx vitest run`.
 * Properties that set their own `numRuns` keep it.
 */
import fc from "fast-check";

fc.configureGlobal({ numRuns: Number(process.env.FC_NUM_RUNS ?? 100) });
