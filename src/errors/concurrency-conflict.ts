import { CosmicError, codeOf } from "./cosmic-error";

/**
 * Thrown by a unit of work's `commit()` when another unit of work committed a change to the same product since this one read it (its version moved), or created the same sku first. Nothing of the failed commit was applied; retrying the whole operation is safe.
 *
 * @example
 * ```ts
 * import { ConcurrencyConflict } from "cosmic-allocation";
 *
 * const error: unknown = new ConcurrencyConflict("LAMP");
 * if (ConcurrencyConflict.is(error)) console.log(error.sku); // "LAMP"
 * ```
 */
export class ConcurrencyConflict extends CosmicError {
  /** The stable code of this error. */
  static readonly code = "CONCURRENCY_CONFLICT";
  /** The sku of the product whose commit lost the race. */
  readonly sku: string;

  /**
   * @param sku - the sku of the product whose commit lost the race
   */
  constructor(sku: string) {
    super(
      "ConcurrencyConflict",
      ConcurrencyConflict.code,
      `Concurrency conflict on sku ${sku}: another unit of work committed it first`,
    );
    this.sku = sku;
  }

  /**
   * Tells whether a value is a {@link ConcurrencyConflict}, from any copy of the package.
   *
   * @param value - anything
   * @returns true if it is a ConcurrencyConflict
   */
  static override is(value: unknown): value is ConcurrencyConflict {
    return codeOf(value) === ConcurrencyConflict.code;
  }
}
