import type { DomainEvent } from "../domain/events";
import { requireRecord } from "../domain/validate";
import { ConcurrencyConflict } from "../errors/concurrency-conflict";
import { ValidationError } from "../errors/validation-error";
import { asyncDispose } from "../ports/dispose-symbol";
import type { UnitOfWork, UnitOfWorkFactory } from "../ports/unit-of-work";
import { jitteredBackoff, type RetryNotice } from "./service-options";
import type { Outcome, UseCase } from "./use-case";

/**
 * How a use case is tried again after a lost race.
 *
 * @internal
 */
export interface RetryPolicy {
  readonly retries: number;
  readonly backoff: (attempt: number) => number;
  readonly onRetry: ((notice: RetryNotice) => void) | undefined;
}

/**
 * A committed attempt: what the use case produced, and the events the commit stored.
 *
 * @internal
 */
export interface Committed<T> {
  readonly outcome: Outcome<T>;
  readonly events: readonly DomainEvent[];
}

/**
 * Runs one use case in a unit of work: opens it, does the work, commits, and
 * collects the committed events; on a {@link ConcurrencyConflict} starts
 * again in a new unit of work after a backoff, a bounded number of times. Any
 * other failure rolls back and propagates. Both `services.*` and the message
 * bus run every command through here.
 *
 * @internal
 */
export async function runInUnitOfWork<Fields, T>(
  factory: UnitOfWorkFactory,
  policy: RetryPolicy,
  useCase: UseCase<Fields, T>,
  fields: Fields,
): Promise<Committed<T>> {
  for (let attempt = 1; ; attempt++) {
    const uow = await factory();
    try {
      const outcome = await useCase.run(fields, uow);
      await uow.commit();
      return { outcome, events: uow.collectNewEvents() };
    } catch (error) {
      await discard(uow);
      if (!ConcurrencyConflict.is(error) || attempt > policy.retries) throw error;
      const delayMs = policy.backoff(attempt);
      policy.onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs);
    }
  }
}

/**
 * Checks the command and the factory, before any unit of work opens.
 *
 * @internal
 */
export function requireServiceArguments(
  command: unknown,
  factory: unknown,
): Readonly<Record<string, unknown>> {
  const record = requireRecord(command, "command");
  requireFactory(factory, "uow");
  return record;
}

/** @internal */
export function requireFactory(factory: unknown, field: string): UnitOfWorkFactory {
  if (typeof factory !== "function") {
    throw new ValidationError(field, factory, "a function that opens a unit of work");
  }
  return factory as UnitOfWorkFactory;
}

/**
 * Reads the retry options every runner of use cases takes.
 *
 * @internal
 */
export function readRetryPolicy(options: Readonly<Record<string, unknown>>): RetryPolicy {
  const { retries = 5, backoff = jitteredBackoff, onRetry } = options;
  if (!Number.isSafeInteger(retries) || (retries as number) < 0) {
    throw new ValidationError("options.retries", retries, "a non-negative safe integer");
  }
  requireOptionalFunction(backoff, "options.backoff");
  requireOptionalFunction(onRetry, "options.onRetry");
  return {
    retries: retries as number,
    backoff: backoff as RetryPolicy["backoff"],
    onRetry: onRetry as RetryPolicy["onRetry"],
  };
}

/** @internal */
export function requireOptionalFunction(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== "function") {
    throw new ValidationError(field, value, "a function");
  }
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
