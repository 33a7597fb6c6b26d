import type * as library from "cosmic-allocation";
import {
  ConcurrencyConflict,
  CosmicError,
  DuplicateBatch,
  InsufficientStock,
  InvalidSku,
  OutOfStock,
  SkuMismatch,
  UnitOfWorkClosed,
  UnknownBatch,
  ValidationError,
} from "cosmic-allocation";
import { describe, expect, it, vi } from "vitest";

const examples = [
  [
    new OutOfStock("LAMP"),
    "OutOfStock",
    "OUT_OF_STOCK",
    "Out of stock for sku LAMP",
    { sku: "LAMP" },
  ],
  [new InvalidSku("NOPE"), "InvalidSku", "INVALID_SKU", "Invalid sku NOPE", { sku: "NOPE" }],
  [
    new SkuMismatch("LAMP", "TABLE"),
    "SkuMismatch",
    "SKU_MISMATCH",
    "Sku mismatch: expected sku LAMP, got sku TABLE",
    { expected: "LAMP", actual: "TABLE" },
  ],
  [
    new InsufficientStock("b1", 5, 2),
    "InsufficientStock",
    "INSUFFICIENT_STOCK",
    "Insufficient stock in batch b1: requested 5, available 2",
    { reference: "b1", requested: 5, available: 2 },
  ],
  [
    new DuplicateBatch("b1"),
    "DuplicateBatch",
    "DUPLICATE_BATCH",
    "Duplicate batch b1",
    { reference: "b1" },
  ],
  [
    new UnknownBatch("b9"),
    "UnknownBatch",
    "UNKNOWN_BATCH",
    "Unknown batch b9",
    { reference: "b9" },
  ],
  [
    new ConcurrencyConflict("LAMP"),
    "ConcurrencyConflict",
    "CONCURRENCY_CONFLICT",
    "Concurrency conflict on sku LAMP: another unit of work committed it first",
    { sku: "LAMP" },
  ],
  [
    new UnitOfWorkClosed("committed"),
    "UnitOfWorkClosed",
    "UNIT_OF_WORK_CLOSED",
    "Unit of work already committed: open a new one for more work",
    { state: "committed" },
  ],
  [
    new ValidationError("qty", 1.5, "a positive safe integer"),
    "ValidationError",
    "VALIDATION_ERROR",
    "Invalid qty: expected a positive safe integer, got 1.5",
    { field: "qty", value: 1.5 },
  ],
] as const;

describe("every error of the package", () => {
  it.each(examples)(
    "%s has a name, a stable code, a message that starts with what failed, and its offending value",
    (error, name, code, message, fields) => {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(CosmicError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error).toMatchObject(fields);
      expect(String(error)).toBe(`${name}: ${message}`);
    },
  );

  it("is recognised by its own guard and by no other", () => {
    const guards = examples.map(
      ([error]) => error.constructor as unknown as { is(value: unknown): boolean },
    );
    examples.forEach(([error], index) => {
      guards.forEach((guard, other) => {
        expect(guard.is(error)).toBe(index === other);
      });
      expect(CosmicError.is(error)).toBe(true);
    });
  });

  it("is recognised when it comes from a second copy of the package, where instanceof fails", async () => {
    vi.resetModules();
    const copy = (await import("../index")) as typeof library;
    expect(copy.OutOfStock).not.toBe(OutOfStock);
    const foreign = new copy.OutOfStock("LAMP");
    expect(foreign instanceof OutOfStock).toBe(false);
    expect(OutOfStock.is(foreign)).toBe(true);
    expect(CosmicError.is(foreign)).toBe(true);
    expect(InvalidSku.is(foreign)).toBe(false);
  });

  it("guards reject plain values and look-alikes", () => {
    for (const value of [
      undefined,
      null,
      "OUT_OF_STOCK",
      42,
      new Error("Out of stock"),
      { code: "OUT_OF_STOCK", name: "OutOfStock" },
    ]) {
      expect(OutOfStock.is(value)).toBe(false);
      expect(CosmicError.is(value)).toBe(false);
    }
  });
});

describe("a ValidationError's message describes the offending value briefly", () => {
  it.each([
    ["x".repeat(100), `got "${"x".repeat(60)}"`],
    [null, "got null"],
    [undefined, "got undefined"],
    [true, "got true"],
    [10n, "got 10"],
    [new Date(Number.NaN), "got an invalid Date"],
    [new Date(0), "got a Date"],
    [[1], "got an array"],
    [{}, "got an object"],
    [Object.create(null), "got an object"],
    [new Map(), "got an object"],
    [() => 1, "got a function"],
    [Symbol("s"), "got a symbol"],
  ])("%s", (value, expected) => {
    expect(new ValidationError("field", value, "something").message).toContain(expected);
  });
});
