/**
 * Thrown by a check of {@link unitOfWorkContract} when the adapter under test
 * breaks the port's semantics. The message says which rule and what was seen.
 *
 * @example
 * ```ts
 * import { ContractViolation } from "cosmic-allocation/testing";
 *
 * const error = new ContractViolation("commit persists", "the product was not found after commit");
 * console.log(error.message); // "commit persists: the product was not found after commit"
 * ```
 */
export class ContractViolation extends Error {
  /** The name of the check that failed. */
  readonly check: string;

  /**
   * @param check - the name of the check that failed
   * @param detail - what was expected and what was seen
   */
  constructor(check: string, detail: string) {
    super(`${check}: ${detail}`);
    this.name = "ContractViolation";
    this.check = check;
  }
}
