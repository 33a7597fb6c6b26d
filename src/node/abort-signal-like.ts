/**
 * The part of an `AbortSignal` the sync shell uses: pass any `AbortSignal`
 * (`controller.signal`, `AbortSignal.timeout(ms)`). Declared here so that the
 * types of `cosmic-allocation/node` need neither the DOM nor `@types/node`.
 */
export interface AbortSignalLike {
  /** True once the work should stop. */
  readonly aborted: boolean;
  /** Throws the signal's reason if it was aborted. */
  throwIfAborted(): void;
}
