import { ValidationError } from "cosmic-allocation";
import { determineActions } from "cosmic-allocation/sync";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

// The planner's options come from CLIs and config files: a wrong one is
// refused with a ValidationError naming it and what it must be, before any
// planning.
describe("determineActions refuses invalid options, naming the option and what it must be", () => {
  it.each([
    ["null options", null, "options", "an object"],
    ["options that are a string", "nfc", "options", "an object"],
    [
      "a caseInsensitive that is not a boolean",
      { caseInsensitive: "yes" },
      "options.caseInsensitive",
      "a boolean",
    ],
    [
      "a unicode that is neither exact nor nfc",
      { unicode: "nfd" },
      "options.unicode",
      '"exact" or "nfc"',
    ],
  ])("%s", (_what, options, field, expected) => {
    const error = catchError(() => determineActions({}, {}, options as never));
    if (!ValidationError.is(error))
      throw new Error(`expected a ValidationError, got ${String(error)}`);
    expect({ field: error.field, expected: error.expected }).toEqual({ field, expected });
  });

  it("options that cannot be read (a getter that throws, a revoked Proxy) are refused with what reading them threw as the cause", () => {
    const failure = new Error("no options here");
    const throwing = Object.defineProperty({}, "unicode", {
      get() {
        throw failure;
      },
    });
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    for (const options of [throwing, revocable.proxy]) {
      const error = catchError(() => determineActions({}, {}, options as never));
      if (!ValidationError.is(error))
        throw new Error(`expected a ValidationError, got ${String(error)}`);
      expect({ field: error.field, expected: error.expected }).toEqual({
        field: "options",
        expected: "a readable object",
      });
      expect(error.value === options).toBe(true);
      expect(error.cause).toBeInstanceOf(options === throwing ? Error : TypeError);
    }
    expect(catchError(() => determineActions({}, {}, throwing as never))).toHaveProperty(
      "cause",
      failure,
    );
  });
});
