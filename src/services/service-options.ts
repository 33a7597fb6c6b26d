import type { DomainEvent } from "../domain/events";

/**
 * What a service tells {@link ServiceOptions.onRetry} before it tries an operation again.
 *
 * @example
 * ```ts
 * import { InMemoryStore, services, type RetryNotice } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const notices: RetryNotice[] = [];
 * const options = { onRetry: (notice: RetryNotice) => notices.push(notice), backoff: () => 0 };
 * const add = (ref: string) => services.addBatch({ ref, sku: "LAMP", qty: 10 }, () => store.unitOfWork(), options);
 * await Promise.all([add("b1"), add("b2")]); // both create "LAMP": the second commit loses and is tried again
 * console.log(notices.map(({ attempt, error, delayMs }) => [attempt, error.name, delayMs])); // [[1, "ConcurrencyConflict", 0]]
 * ```
 */
export interface RetryNotice {
  /** The attempt that failed: 1 for the first. */
  readonly attempt: number;
  /** The {@link ConcurrencyConflict} that made it fail. */
  readonly error: Error;
  /** How long the service waits before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/**
 * Options every service takes after its unit-of-work factory.
 *
 * @example
 * ```ts
 * import { InMemoryStore, services, type ServiceOptions } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const published: string[] = [];
 * const options: ServiceOptions = {
 *   publish: (event) => {
 *     published.push(event.type);
 *   },
 *   retries: 10,
 * };
 * await services.addBatch({ ref: "b1", sku: "LAMP", qty: 10 }, () => store.unitOfWork(), options);
 * await services.allocate({ orderid: "o1", sku: "LAMP", qty: 2 }, () => store.unitOfWork(), options);
 * console.log(published); // ["Allocated"]
 * ```
 */
export interface ServiceOptions {
  /**
   * Called with each domain event of a committed unit of work, in order, after
   * the commit; never for work that was rolled back. Awaited, one at a time: a
   * rejection propagates to the caller, although the change is committed.
   */
  readonly publish?: (event: DomainEvent) => void | Promise<void>;
  /**
   * How many times to try an operation again after a {@link ConcurrencyConflict}
   * before throwing it; each attempt opens a new unit of work. Default 5.
   */
  readonly retries?: number;
  /**
   * The delay in milliseconds before attempt `attempt + 1`. Default: a random
   * delay up to `min(1000, 2 * 2 ** attempt)` ms ("full jitter"), which spreads
   * competing writers apart so that they stop colliding.
   */
  readonly backoff?: (attempt: number) => number;
  /** Called before each retry, for metrics and logs. */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/**
 * The default backoff: full jitter, capped at one second.
 *
 * @internal
 */
export function jitteredBackoff(attempt: number): number {
  return Math.random() * Math.min(1000, 2 * 2 ** attempt);
}
