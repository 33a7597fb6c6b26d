import { requireRecord } from "../domain/validate";
import type { UnitOfWorkFactory } from "../ports/unit-of-work";
import {
  readRetryPolicy,
  requireOptionalFunction,
  requireServiceArguments,
  runInUnitOfWork,
} from "./run-in-unit-of-work";
import type { ServiceOptions } from "./service-options";
import type { UseCase } from "./use-case";

/**
 * Turns a use case into a `services.*` function: check the command and the
 * options before any unit of work opens, run it with retries, hand each
 * committed event to `options.publish`, then return or throw its outcome.
 *
 * @internal
 */
export function serve<Fields, Result>(
  useCase: UseCase<Fields, Result>,
): (command: object, uow: UnitOfWorkFactory, options?: ServiceOptions) => Promise<Result> {
  return async (command, uow, options = {}) => {
    const fields = useCase.read(requireServiceArguments(command, uow));
    const record = requireRecord(options, "options");
    const policy = readRetryPolicy(record);
    const { publish } = record;
    requireOptionalFunction(publish, "options.publish");
    const { outcome, events } = await runInUnitOfWork(uow, policy, useCase, fields);
    if (publish !== undefined) {
      for (const event of events) await (publish as NonNullable<ServiceOptions["publish"]>)(event);
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  };
}
