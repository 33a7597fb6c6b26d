import { Batch, OrderLine, SkuMismatch, ValidationError } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";
import {
  attempt,
  readNested,
  requireDate,
  requireDenseArray,
  requireIsoEta,
  requireIterable,
  requireObject,
  requireRecord,
} from "./validate";

// Each refusal is a ValidationError naming the field, what was expected, and,
// when something threw on the way, what threw as its cause: the caller learns
// what to fix without reading the library's code.
describe("a refused value says what was expected and why", () => {
  it("a read that throws is refused with what it threw as the cause; an error of this package passes unchanged", () => {
    const thrown = new TypeError("getter failed");
    const error = catchError(() =>
      attempt(
        () => {
          throw thrown;
        },
        "qty",
        7,
        "a number",
      ),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "qty", value: 7, expected: "a number", cause: thrown });
    const own = new SkuMismatch("LAMP", "CHAIR");
    expect(
      catchError(() =>
        attempt(
          () => {
            throw own;
          },
          "sku",
          "x",
          "a sku",
        ),
      ),
    ).toBe(own);
  });

  it("a date that is no Date, or an invalid one, expects a valid Date unless told otherwise", () => {
    for (const value of [new Date(Number.NaN), "2026-12-01", 0, undefined]) {
      expect(catchError(() => requireDate(value, "when"))).toMatchObject({
        field: "when",
        expected: "a valid Date",
      });
    }
    expect(requireDate(new Date(5), "when")).toBe(5);
  });

  it("a method called on a Proxy of a batch names `this` and says to unwrap it", () => {
    const wrapped = new Proxy(new Batch("b1", "LAMP", 10, null), {});
    const error = catchError(() => wrapped.allocate(new OrderLine("o1", "LAMP", 1)));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      field: "this",
      expected: "a Batch, not a Proxy of one (unwrap it, e.g. with toRaw)",
    });
  });

  it("an ISO eta may be null, for stock in the warehouse", () => {
    expect(requireIsoEta(null, "eta")).toBeNull();
  });

  it("a record's reader answers `in`, keys and descriptors as the record does, read-only", () => {
    const reader = requireRecord({ sku: "LAMP", qty: 3 }, "line");
    expect("sku" in reader).toBe(true);
    expect("missing" in reader).toBe(false);
    expect(Object.keys(reader)).toEqual(["sku", "qty"]);
    expect(Object.getOwnPropertyDescriptor(reader, "missing")).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(reader, "qty")).toEqual({
      value: 3,
      enumerable: true,
      writable: false,
      configurable: true,
    });
  });

  it("a record whose property read throws is refused as unreadable, naming the field, with the cause", () => {
    const thrown = new Error("trap");
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw thrown;
        },
        has: () => {
          throw thrown;
        },
      },
    );
    const reader = requireRecord(hostile, "batch");
    for (const read of [() => reader.qty, () => "qty" in reader]) {
      const error = catchError(read);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: "batch", expected: "a readable object", cause: thrown });
    }
  });

  it("null and arrays are not objects", () => {
    for (const value of [null, [], 0, "x"]) {
      expect(catchError(() => requireObject(value, "line"))).toMatchObject({
        field: "line",
        expected: "an object",
      });
    }
  });

  it("a revoked Proxy is refused as an object, with the revocation as the cause", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const error = catchError(() => requireObject(proxy, "line")) as ValidationError;
    expect(error).toMatchObject({ field: "line", expected: "an object" });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("a hole in an array is refused, naming the element; an element whose read throws makes the array unreadable", () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const holed = [1, , 3];
    expect(catchError(() => requireDenseArray(holed, "batches"))).toMatchObject({
      field: "batches[1]",
      expected: "an element, not a hole",
    });
    const thrown = new Error("element getter");
    const hostile = [1];
    Object.defineProperty(hostile, 0, {
      get: () => {
        throw thrown;
      },
    });
    expect(catchError(() => requireDenseArray(hostile, "batches"))).toMatchObject({
      field: "batches",
      expected: "a readable array",
      cause: thrown,
    });
    expect(requireDenseArray([1, undefined, 3], "batches")).toEqual([1, undefined, 3]);
  });

  it("null or undefined is not iterable, and nothing threw: the refusal has no cause", () => {
    for (const value of [null, undefined]) {
      const error = catchError(() =>
        requireIterable(value as unknown as Iterable<unknown>, "batches", "an iterable"),
      ) as ValidationError;
      expect(error).toMatchObject({ field: "batches", expected: "an iterable" });
      expect(error.cause).toBeUndefined();
    }
  });

  it("a nested part names its path in what it refuses, and lets any other error through unchanged", () => {
    expect(
      catchError(() =>
        readNested("batches[2]", "batch", () => {
          throw new ValidationError("qty", -1, "a positive whole number");
        }),
      ),
    ).toMatchObject({ field: "batches[2].qty", value: -1, expected: "a positive whole number" });
    const other = new RangeError("not a refusal");
    expect(
      catchError(() =>
        readNested("batches[2]", "batch", () => {
          throw other;
        }),
      ),
    ).toBe(other);
  });
});
