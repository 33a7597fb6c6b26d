import { statSync } from "node:fs";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order of test files in a mutation run (vitest.mutation.config.ts).
 * Stryker stops at the first test that fails, so the fast, pointed tests go
 * first: the rules tests, then the other unit tests, then the property tests,
 * then the suites of test/, each group smallest file first.
 */
export class FastFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const size = new Map(files.map((file) => [file.moduleId, statSync(file.moduleId).size]));
    const rank = (file: TestSpecification): number => {
      const path = file.moduleId;
      if (path.includes("/test/")) return 3;
      if (path.endsWith(".test-prop.ts")) return 2;
      return path.endsWith(".rules.test.ts") ? 0 : 1;
    };
    return [...files].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (size.get(a.moduleId) as number) - (size.get(b.moduleId) as number) ||
        (a.moduleId < b.moduleId ? -1 : 1),
    );
  }
}
