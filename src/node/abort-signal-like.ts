/**
 * The part of an `AbortSignal` the sync shell uses: pass any `AbortSignal`
 * (`controller.signal`, `AbortSignal.timeout(ms)`). Declared here so that the
 * types of `cosmic-allocation/node` need neither the DOM nor `@types/node`.
 *
 * @example
 * ```ts
 * import { syncDirectories, type AbortSignalLike } from "cosmic-allocation/node";
 *
 * const signal: AbortSignalLike = AbortSignal.timeout(60_000);
 * await syncDirectories("./photos", "/backup/photos", { signal });
 * ```
 */
export interface AbortSignalLike {
  /** True once the work should stop. */
  readonly aborted: boolean;
  /** Throws the signal's reason if it was aborted. */
  throwIfAborted(): void;
}
