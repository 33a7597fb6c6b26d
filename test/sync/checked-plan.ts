import {
  type DetermineActionsOptions,
  determineActions,
  type SyncAction,
} from "cosmic-allocation/sync";
import { expect } from "vitest";
import { canonical, nameRules, replay } from "./virtual-destination";

/**
 * Plans with `determineActions`, checks on the strict virtual destination
 * that the plan mirrors the source and never loses a needed content or a
 * shared path on the way, and returns the plan.
 */
export function checkedPlan(
  source: Record<string, string>,
  dest: Record<string, string>,
  options: DetermineActionsOptions = {},
): SyncAction[] {
  const actions = determineActions(source, dest, options);
  const rules = nameRules(options);
  const { final, lostAt, missingAt } = replay(
    new Map(Object.entries(source)),
    new Map(Object.entries(dest)),
    actions,
    rules,
  );
  expect(canonical(final, rules)).toEqual(canonical(new Map(Object.entries(source)), rules));
  expect(lostAt).toBeUndefined();
  expect(missingAt).toBeUndefined();
  return actions;
}
