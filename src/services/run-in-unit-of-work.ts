import type { Product } from "../domain/product";
import { requireRecord } from "../domain/validate";
import { ConcurrencyConflict } from "../errors/concurrency-conflict";
import { ValidationError } from "../errors/validation-error";
import { asyncDispose } from "../ports/dispose-symbol";
import type { UnitOfWork, UnitOfWorkFactory } from "../ports/unit-of-work";
import { jitteredBackoff, type ServiceOptions } from "./service-options";

/**
 * What one attempt of a service produced: a value to return, or a domain
 * error to throw once the unit of work has committed (so that the events that
 * record it, such as `OutOfStock`, are published), and the product whose
 * events to publish.
 *
 * @internal
 */
export type Outcome<T> =
  | { readonly value: T; readonly product: Product }
  | { readonly error: unknown; readonly product: Product };

/**
 * Runs one operation of the service layer: opens a unit of work, does the
 * work, commits, publishes the events, and on a {@link ConcurrencyConflict}
 * starts again in a new unit of work after a backoff, a bounded number of times.
 * Any other failure rolls back and propagates.
 *
 * @internal
 */
export async function runInUnitOfWork<T>(
  factory: UnitOfWorkFactory,
  options: ServiceOptions,
  work: (uow: UnitOfWork) => Promise<Outcome<T>>,
): Promise<T> {
  const { retries, backoff, publish, onRetry } = readOptions(options);
  for (let attempt = 1; ; attempt++) {
    const uow = await factory();
    let outcome: Outcome<T>;
    try {
      outcome = await work(uow);
      await uow.commit();
    } catch (error) {
      await discard(uow);
      if (!ConcurrencyConflict.is(error) || attempt > retries) throw error;
      const delayMs = backoff(attempt);
      onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs);
      continue;
    }
    const events = outcome.product.takeEvents();
    if (publish !== undefined) for (const event of events) await publish(event);
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  }
}

/**
 * Checks the command and the factory; the options are checked by
 * {@link runInUnitOfWork}, still before any unit of work opens.
 *
 * @internal
 */
export function requireServiceArguments(
  command: unknown,
  factory: unknown,
): Readonly<Record<string, unknown>> {
  const record = requireRecord(command, "command");
  if (typeof factory !== "function") {
    throw new ValidationError("uow", factory, "a function that opens a unit of work");
  }
  return record;
}

interface ResolvedOptions {
  readonly retries: number;
  readonly backoff: (attempt: number) => number;
  readonly publish: ServiceOptions["publish"] | undefined;
  readonly onRetry: ServiceOptions["onRetry"] | undefined;
}

function readOptions(options: ServiceOptions): ResolvedOptions {
  requireRecord(options, "options");
  const { retries = 5, backoff = jitteredBackoff, publish, onRetry } = options;
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new ValidationError("options.retries", retries, "a non-negative safe integer");
  }
  for (const [name, value] of [
    ["backoff", backoff],
    ["publish", publish],
    ["onRetry", onRetry],
  ] as const) {
    if (value !== undefined && typeof value !== "function") {
      throw new ValidationError(`options.${name}`, value, "a function");
    }
  }
  return { retries, backoff, publish, onRetry };
}

// Rolls back what is left open. A failure to roll back must not hide the error that caused it.
async function discard(uow: UnitOfWork): Promise<void> {
  try {
    await uow[asyncDispose]();
  } catch {
    // The original error is the one the caller needs.
  }
}

// Every runtime the root entry targets has setTimeout, but it is in neither ES2022 nor this
// entry's type libraries (no DOM, no Node), so it is reached through globalThis.
interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => (globalThis as unknown as Timers).setTimeout(resolve, ms));
}
