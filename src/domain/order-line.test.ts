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

  it("is not equal to a Proxy of itself, either way round, and comparing never throws", () => {
    const line = new OrderLine("order1", "SKU", 10);
    const proxy = new Proxy(line, {});
    expect(line.equals(proxy)).toBe(false);
    expect(proxy.equals(line)).toBe(false);
    expect(proxy.toJSON()).toEqual(line.toJSON());
  });

  it("is not equal to a revoked Proxy, and comparing never throws", () => {
    const { proxy, revoke } = Proxy.revocable(new OrderLine("order1", "SKU", 10), {});
    revoke();
    expect(new OrderLine("order1", "SKU", 10).equals(proxy)).toBe(false);
  });

  it("gives a revoked Proxy as an argument a ValidationError that describes it", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const error = catchError(() => new OrderLine("o1", proxy as unknown as string, 1));
    expect(error).toMatchObject({
      field: "sku",
      message: "Invalid sku: expected a non-empty string, got a revoked Proxy",
    });
  });

  it("reads JSON through a Proxy of the data, as a reactive store hands it over", () => {
    const json = new Proxy({ orderid: "o1", sku: "SKU", qty: 2 }, {});
    expect(OrderLine.fromJSON(json).equals(new OrderLine("o1", "SKU", 2))).toBe(true);
  });

  it("turns a field whose getter throws into a ValidationError, with what it threw as its cause", () => {
    const thrown = new Error("getter");
    const json = {
      orderid: "o1",
      sku: "SKU",
      get qty(): number {
        throw thrown;
      },
    };
    const error = catchError(() => OrderLine.fromJSON(json));
    expect(ValidationError.is(error)).toBe(true);
    expect(error).toMatchObject({ field: "line", cause: thrown });
  });

  it.each([
    ["a revoked Proxy", () => Proxy.revocable({}, {})],
    [
      "a Proxy whose every read throws",
      () => ({
        proxy: new Proxy(
          {},
          {
            get: () => {
              throw new Error("trap");
            },
          },
        ),
        revoke: () => undefined,
      }),
    ],
  ])("reads JSON that is %s as a ValidationError", (_, make) => {
    const { proxy, revoke } = make();
    revoke();
    expect(ValidationError.is(catchError(() => OrderLine.fromJSON(proxy)))).toBe(true);
  });
});
