import { OrderLine, ValidationError } from "cosmic-allocation";
import { describe, expect, it } from "vitest";
import { catchError } from "../../test/catch-error";

describe("an order line", () => {
  it("is a value object: lines with the same orderid, sku and qty are equal", () => {
    expect(new OrderLine("order1", "SKU", 10).equals(new OrderLine("order1", "SKU", 10))).toBe(
      true,
    );
    expect(new OrderLine("order1", "SKU", 10).equals(new OrderLine("order2", "SKU", 10))).toBe(
      false,
    );
    expect(new OrderLine("order1", "SKU", 10).equals(new OrderLine("order1", "UKS", 10))).toBe(
      false,
    );
    expect(new OrderLine("order1", "SKU", 10).equals(new OrderLine("order1", "SKU", 11))).toBe(
      false,
    );
  });

  it("is frozen at runtime, not only in its types", () => {
    const line = new OrderLine("order1", "SKU", 10);
    expect(Object.isFrozen(line)).toBe(true);
    expect(() => {
      (line as { qty: number }).qty = 99;
    }).toThrow(TypeError);
    expect(line.qty).toBe(10);
  });

  it("is not equal to something that is not an order line", () => {
    const line = new OrderLine("order1", "SKU", 10);
    expect(line.equals({ orderid: "order1", sku: "SKU", qty: 10 } as unknown as OrderLine)).toBe(
      false,
    );
  });

  it.each([
    ["an empty orderid", ["", "SKU", 1], "orderid"],
    ["an orderid that is not a string", [7, "SKU", 1], "orderid"],
    ["an empty sku", ["o1", "", 1], "sku"],
    ["a missing sku", ["o1", undefined, 1], "sku"],
    ["a zero qty", ["o1", "SKU", 0], "qty"],
    ["a negative qty", ["o1", "SKU", -1], "qty"],
    ["a fractional qty", ["o1", "SKU", 1.5], "qty"],
    ["a NaN qty", ["o1", "SKU", Number.NaN], "qty"],
    ["an infinite qty", ["o1", "SKU", Number.POSITIVE_INFINITY], "qty"],
    ["an unsafe qty", ["o1", "SKU", 2 ** 53], "qty"],
    ["a qty given as a string", ["o1", "SKU", "3"], "qty"],
  ])("rejects %s with a ValidationError naming the field", (_, args, field) => {
    const [orderid, sku, qty] = args as [string, string, number];
    const error = catchError(() => new OrderLine(orderid, sku, qty));
    expect(ValidationError.is(error)).toBe(true);
    expect(error).toMatchObject({ field, code: "VALIDATION_ERROR", name: "ValidationError" });
    expect((error as Error).message).toMatch(new RegExp(`^Invalid ${field}: expected `));
  });

  it("round-trips through JSON", () => {
    const line = new OrderLine("order1", "SKU", 10);
    expect(line.toJSON()).toEqual({ orderid: "order1", sku: "SKU", qty: 10 });
    expect(OrderLine.fromJSON(JSON.parse(JSON.stringify(line))).equals(line)).toBe(true);
  });

  it.each([
    [null, "line"],
    [[], "line"],
    [{ orderid: "o1", sku: "SKU" }, "qty"],
    [{ orderid: "o1", sku: 3, qty: 1 }, "sku"],
  ])("reads JSON only when it is valid: %j is rejected at %s", (json, field) => {
    expect(catchError(() => OrderLine.fromJSON(json))).toMatchObject({ field });
  });
});
