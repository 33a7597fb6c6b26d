import type { UnitOfWork } from "../ports/unit-of-work";

/**
 * What one attempt of a use case produced: a value to return, or a domain
 * error to throw once the unit of work has committed, so that the events
 * that record it, such as `OutOfStock`, are stored and published.
 *
 * @internal
 */
export type Outcome<T> = { readonly value: T } | { readonly error: unknown };

/**
 * One use case of the service layer, as both `services.*` and the message bus
 * run it: `read` checks a command's fields before any unit of work opens,
 * `run` does the work inside one.
 *
 * @internal
 */
export interface UseCase<Fields, Result> {
  read(command: Readonly<Record<string, unknown>>): Fields;
  run(fields: Fields, uow: UnitOfWork): Promise<Outcome<Result>>;
}
