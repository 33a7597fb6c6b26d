import type { Batch } from "./batch";

/**
 * The allocation preference, the one rule that decides which batch takes a
 * line when several can: warehouse stock first, then the earliest eta, then
 * the order the batches were added. `allocate`, `planAllocations` and
 * `Product` (through its stock index) all decide by this function alone.
 *
 * A batch's rank is its eta in epoch milliseconds, -Infinity for stock in the
 * warehouse; the smaller rank is preferred, and between equal ranks the batch
 * seen first keeps its place, so this says "strictly before".
 *
 * @internal
 */
export function isPreferredOver(candidate: number, incumbent: number): boolean {
  return candidate < incumbent;
}

/**
 * A batch's rank in the allocation preference: -Infinity for warehouse stock,
 * else its eta in epoch milliseconds.
 *
 * @internal
 */
export function preferenceRank(batch: Batch): number {
  return batch._etaTime;
}
