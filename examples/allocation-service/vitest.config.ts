import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PGlite takes 2 to 10 s to start on a busy 2-core machine.
    hookTimeout: 60_000,
    testTimeout: 60_000,
    // One file at a time: the load test's figures mean nothing while another
    // file starts PGlite on the same two cores.
    fileParallelism: false,
  },
});
