/**
 * Test kits for code built on `cosmic-allocation`: the contract that every
 * unit-of-work adapter must pass. Runner-agnostic and browser-safe.
 *
 * @example
 * ```ts
 * import { InMemoryStore } from "cosmic-allocation";
 * import { unitOfWorkContract } from "cosmic-allocation/testing";
 *
 * const checks = unitOfWorkContract(() => {
 *   const store = new InMemoryStore();
 *   return () => store.unitOfWork();
 * });
 * console.log(checks.map((check) => check.name).includes("a commit persists the products added in the unit of work")); // true
 * ```
 *
 * @packageDocumentation
 * @module cosmic-allocation/testing
 */
export { ContractViolation } from "./contract-violation";
export { type ContractCheck, unitOfWorkContract } from "./unit-of-work-contract";
