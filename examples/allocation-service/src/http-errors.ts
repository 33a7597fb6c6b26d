import {
  ConcurrencyConflict,
  DuplicateBatch,
  DuplicateProduct,
  InsufficientStock,
  InvalidSku,
  OrderNotAllocated,
  OutOfStock,
  SkuMismatch,
  UnknownBatch,
  ValidationError,
} from "cosmic-allocation";
import { HTTPException } from "hono/http-exception";

/** An error that already knows its HTTP status, for problems found in the HTTP layer itself. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly field: string | undefined;

  constructor(status: number, message: string, field?: string) {
    super(message);
    this.name = "HttpProblem";
    this.status = status;
    this.field = field;
  }
}

export function jsonError(status: number, message: string): HttpProblem {
  return new HttpProblem(status, message);
}

/** A 400 for a body field the HTTP layer refuses before the services see it. */
export function fieldError(field: string, rule: string): HttpProblem {
  return new HttpProblem(400, `Invalid ${field}: it ${rule}`, field);
}

/** Seconds a client should wait before retrying after a conflict the retries could not absorb. */
const RETRY_AFTER_SECONDS = "1";

/**
 * Maps an error to its HTTP response. Bad input of any kind is a 4xx with a
 * `{ message }` body; only a fault of the service itself is a 500.
 *
 * A `ConcurrencyConflict` that outlived the service layer's retries is a 503
 * with `Retry-After`: nothing was applied and the same request may simply be
 * sent again, unlike a 409, which this API keeps for requests that will keep
 * failing (a duplicate batch reference).
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpProblem) {
    const body = error.field === undefined ? {} : { field: error.field };
    return json(error.status, { message: error.message, ...body });
  }
  if (error instanceof HTTPException) return error.getResponse();
  if (ValidationError.is(error)) return json(400, { message: error.message, field: error.field });
  if (
    InvalidSku.is(error) ||
    OutOfStock.is(error) ||
    SkuMismatch.is(error) ||
    InsufficientStock.is(error)
  ) {
    return json(400, { message: error.message });
  }
  if (OrderNotAllocated.is(error)) {
    return json(400, {
      message: error.message,
      shortLines: error.shortLines,
      unknownSkus: error.unknownSkus,
    });
  }
  if (UnknownBatch.is(error)) return json(404, { message: error.message });
  if (DuplicateBatch.is(error) || DuplicateProduct.is(error)) {
    return json(409, { message: error.message });
  }
  if (ConcurrencyConflict.is(error)) {
    return json(503, { message: error.message }, { "retry-after": RETRY_AFTER_SECONDS });
  }
  // PostgreSQL's class 22 is "data exception": a value the server cannot store,
  // such as a NUL character in a text field. Bad input, not a fault.
  if (sqlState(error)?.startsWith("22")) {
    return json(400, { message: `Invalid input: ${(error as Error).message}` });
  }
  console.error("allocation-service: unexpected error", error);
  return json(500, { message: "Internal server error" });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The SQLSTATE code of a database error, if the value is one. */
function sqlState(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
