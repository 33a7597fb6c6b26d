import { ValidationError } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";
import { requireIsoEta } from "./validate";

// Service commands carry etas as ISO 8601 strings; the whole string must be
// one, not merely contain one.
describe("a command's eta is a whole ISO 8601 date or date-time", () => {
  it.each(["x2026-12-01", "due 2026-12-01", "2026-12-01x", "2026-12-01T10:00Z!"])(
    "%j is refused",
    (eta) => {
      const error = catchError(() => requireIsoEta(eta, "eta"));
      if (!ValidationError.is(error))
        throw new Error(`expected a ValidationError, got ${String(error)}`);
      expect({ field: error.field, expected: error.expected }).toEqual({
        field: "eta",
        expected: "an ISO 8601 date or null",
      });
    },
  );

  it("a bare date and a date-time with an offset are read", () => {
    expect(requireIsoEta("2026-12-01", "eta")).toBe(Date.UTC(2026, 11, 1));
    expect(requireIsoEta("2026-12-01T10:00+01:00", "eta")).toBe(Date.UTC(2026, 11, 1, 9));
  });
});
